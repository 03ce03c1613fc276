package io.rustbucket.alerts.telegram;

import io.rustbucket.core.auth.SecretTokens;
import io.rustbucket.core.sql.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/**
 * Links Telegram users to platform accounts, as the original bot did: a signed-in user asks for a one-time code,
 * sends {@code /start <code>} to the bot in a private chat, and from then on the groups they administer can be
 * linked to their account ({@code /link} in the group). Only the code's hash is stored; codes expire in an hour.
 */
public final class TelegramLinks {
    public static final Duration CODE_LIFETIME = Duration.ofHours(1);

    /** A fresh code: shown once to the user who asked. */
    public record Code(String code, Instant expiresAt) {}

    private final Database db;
    private final Clock clock;

    public TelegramLinks(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Code create(String username) {
        String code = SecretTokens.generate("rb", 12);
        Instant now = clock.instant();
        Instant expires = now.plus(CODE_LIFETIME);
        db.useHandle(h -> h.createUpdate("INSERT INTO telegram_links (code_hash, username, created_at, expires_at) "
                        + "VALUES (:h, :u, :now, :exp)")
                .bind("h", SecretTokens.hash(code))
                .bind("u", username)
                .bind("now", now)
                .bind("exp", expires)
                .execute());
        return new Code(code, expires);
    }

    /** Uses a code for a Telegram user; the platform user name, or empty for an unknown, used or expired code. */
    public Optional<String> redeem(String code, String telegramUser) {
        if (code == null || code.isBlank() || code.length() > 64) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        String hash = SecretTokens.hash(code.strip());
        return db.inTransaction(h -> {
            int n = h.createUpdate("UPDATE telegram_links SET used_at = :now, telegram_user = :t "
                            + "WHERE code_hash = :h AND used_at IS NULL AND expires_at > :now")
                    .bind("now", now)
                    .bind("t", telegramUser)
                    .bind("h", hash)
                    .execute();
            if (n == 0) {
                return Optional.<String>empty();
            }
            return h.createQuery("SELECT username FROM telegram_links WHERE code_hash = :h")
                    .bind("h", hash)
                    .mapTo(String.class)
                    .findOne();
        });
    }

    /** The platform user a Telegram user linked to (the latest link wins). */
    public Optional<String> userOf(String telegramUser) {
        return db.withHandle(h -> h.createQuery(
                        "SELECT username FROM telegram_links WHERE telegram_user = :t " + "ORDER BY used_at DESC")
                .bind("t", telegramUser)
                .setMaxRows(1)
                .mapTo(String.class)
                .findFirst());
    }
}
