package io.rustbucket.core.auth;

import io.rustbucket.core.sql.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Browser sessions: an opaque random token in an HttpOnly cookie, of which only the SHA-256 is stored, with an
 * idle and an absolute expiry, rotation, and a per-user cap. Each session also holds the hash of its CSRF token.
 */
public final class Sessions {
    /** How often last-seen is written at most; every request would otherwise be a database write. */
    static final Duration TOUCH_INTERVAL = Duration.ofMinutes(1);
    /** Ids per query of {@link #live}: far below every database's limit on bound parameters. */
    static final int LIVE_BATCH = 500;

    /** The public description of a session, as the login API returns it. */
    public record SessionInfo(
            String id, String userId, Instant issuedAt, Instant expiresAt, Instant absoluteExpiresAt) {}

    /** A freshly issued session with its secrets, which exist only in this answer. */
    public record Issued(String token, String csrfToken, SessionInfo info) {}

    /** A valid session found by its token. */
    public record Active(SessionInfo info, User user, String csrfHash) {}

    private final Database db;
    private final Accounts accounts;
    private final AuthConfig config;
    private final Clock clock;
    private final Revocations revocations;

    public Sessions(Database db, Accounts accounts, AuthConfig config, Clock clock, Revocations revocations) {
        this.db = db;
        this.accounts = accounts;
        this.config = config;
        this.clock = clock;
        this.revocations = revocations;
    }

    /** Starts a session for a signed-in user, ending the oldest ones beyond the per-user cap. */
    public Issued create(User user, String ip, String userAgent) {
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        String token = SecretTokens.generate("", 32);
        String csrf = SecretTokens.generate("", 24);
        SessionInfo info =
                new SessionInfo(id, user.id(), now, now.plus(config.sessionIdle()), now.plus(config.sessionAbsolute()));
        List<String> evicted = db.inTransaction(h -> {
            h.createUpdate("INSERT INTO user_sessions (id, user_id, token_hash, csrf_hash, issued_at, last_seen_at, "
                            + "expires_at, absolute_expires_at, ip, user_agent) VALUES "
                            + "(:id, :uid, :th, :ch, :now, :now, :exp, :abs, :ip, :ua)")
                    .bind("id", id)
                    .bind("uid", user.id())
                    .bind("th", SecretTokens.hash(token))
                    .bind("ch", SecretTokens.hash(csrf))
                    .bind("now", now)
                    .bind("exp", info.expiresAt())
                    .bind("abs", info.absoluteExpiresAt())
                    .bind("ip", truncate(ip, 64))
                    .bind("ua", truncate(userAgent, 256))
                    .execute();
            var ids = h.createQuery("SELECT id FROM user_sessions WHERE user_id = :uid ORDER BY issued_at DESC, id")
                    .bind("uid", user.id())
                    .mapTo(String.class)
                    .list();
            List<String> oldest =
                    List.copyOf(ids.subList(Math.min(ids.size(), config.maxSessionsPerUser()), ids.size()));
            for (String old : oldest) {
                h.createUpdate("DELETE FROM user_sessions WHERE id = :id")
                        .bind("id", old)
                        .execute();
            }
            return oldest;
        });
        evicted.forEach(revocations::sessionEnded); // once committed: their open streams end too
        return new Issued(token, csrf, info);
    }

    /** Finds the live session of a token, extending its idle expiry; expired sessions are deleted. */
    public Optional<Active> resolve(String token) {
        if (token == null || token.isEmpty() || token.length() > 128) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<Object[]> row = db.withHandle(h -> h.createQuery(
                        "SELECT id, user_id, issued_at, last_seen_at, expires_at, absolute_expires_at, csrf_hash "
                                + "FROM user_sessions WHERE token_hash = :th")
                .bind("th", SecretTokens.hash(token))
                .map((rs, ctx) -> new Object[] {
                    rs.getString(1),
                    rs.getString(2),
                    rs.getTimestamp(3).toInstant(),
                    rs.getTimestamp(4).toInstant(),
                    rs.getTimestamp(5).toInstant(),
                    rs.getTimestamp(6).toInstant(),
                    rs.getString(7)
                })
                .findOne());
        if (row.isEmpty()) {
            return Optional.empty();
        }
        Object[] r = row.get();
        String id = (String) r[0];
        Instant lastSeen = (Instant) r[3];
        Instant expires = (Instant) r[4];
        Instant absolute = (Instant) r[5];
        if (!now.isBefore(expires) || !now.isBefore(absolute)) {
            end(id);
            return Optional.empty();
        }
        Optional<User> user = accounts.find((String) r[1]).filter(u -> !u.disabled());
        if (user.isEmpty()) {
            end(id);
            return Optional.empty();
        }
        Instant newExpiry = expires;
        if (Duration.between(lastSeen, now).compareTo(TOUCH_INTERVAL) >= 0) {
            newExpiry = min(now.plus(config.sessionIdle()), absolute);
            Instant e = newExpiry;
            db.useHandle(
                    h -> h.createUpdate("UPDATE user_sessions SET last_seen_at = :now, expires_at = :e WHERE id = :id")
                            .bind("now", now)
                            .bind("e", e)
                            .bind("id", id)
                            .execute());
        }
        SessionInfo info = new SessionInfo(id, user.get().id(), (Instant) r[2], newExpiry, absolute);
        return Optional.of(new Active(info, user.get(), (String) r[6]));
    }

    /** Issues a new token and CSRF token for an existing session (the old token stops working at once). */
    public Optional<Issued> rotate(String sessionId) {
        Instant now = clock.instant();
        String token = SecretTokens.generate("", 32);
        String csrf = SecretTokens.generate("", 24);
        return db.inTransaction(h -> {
            Optional<Object[]> row = h.createQuery(
                            "SELECT user_id, issued_at, absolute_expires_at FROM user_sessions WHERE id = :id")
                    .bind("id", sessionId)
                    .map((rs, ctx) -> new Object[] {
                        rs.getString(1),
                        rs.getTimestamp(2).toInstant(),
                        rs.getTimestamp(3).toInstant()
                    })
                    .findOne();
            if (row.isEmpty()) {
                return Optional.<Issued>empty();
            }
            Instant absolute = (Instant) row.get()[2];
            Instant expires = min(now.plus(config.sessionIdle()), absolute);
            h.createUpdate("UPDATE user_sessions SET token_hash = :th, csrf_hash = :ch, last_seen_at = :now, "
                            + "expires_at = :e WHERE id = :id")
                    .bind("th", SecretTokens.hash(token))
                    .bind("ch", SecretTokens.hash(csrf))
                    .bind("now", now)
                    .bind("e", expires)
                    .bind("id", sessionId)
                    .execute();
            return Optional.of(new Issued(
                    token,
                    csrf,
                    new SessionInfo(sessionId, (String) row.get()[0], (Instant) row.get()[1], expires, absolute)));
        });
    }

    public void end(String sessionId) {
        db.useHandle(h -> h.createUpdate("DELETE FROM user_sessions WHERE id = :id")
                .bind("id", sessionId)
                .execute());
        revocations.sessionEnded(sessionId);
    }

    /** Ends every session of a user except one (e.g. after a password change). */
    public void endOthers(String userId, String keepSessionId) {
        // The sessions deleted are exactly those told to Revocations: one that starts meanwhile is neither.
        List<String> ended = db.inTransaction(h -> {
            List<String> ids = h.createQuery("SELECT id FROM user_sessions WHERE user_id = :u AND id <> :keep")
                    .bind("u", userId)
                    .bind("keep", keepSessionId == null ? "" : keepSessionId)
                    .mapTo(String.class)
                    .list();
            for (String id : ids) {
                h.createUpdate("DELETE FROM user_sessions WHERE id = :id")
                        .bind("id", id)
                        .execute();
            }
            return ids;
        });
        ended.forEach(revocations::sessionEnded);
    }

    /** Of the given session ids, those still valid now: present, within both expiries, their user not disabled. */
    public java.util.Set<String> live(java.util.Collection<String> ids) {
        return liveIds(
                db,
                "SELECT s.id FROM user_sessions s JOIN users u ON u.id = s.user_id WHERE s.id IN (<ids>) "
                        + "AND s.expires_at > :now AND s.absolute_expires_at > :now AND u.disabled = :f",
                ids,
                clock.instant());
    }

    /**
     * Runs a query of ids still valid ({@code <ids>}, {@code :now}, {@code :f} for false) over the given ids in
     * batches, so a few thousand open streams cost a few queries.
     */
    static java.util.Set<String> liveIds(Database db, String sql, java.util.Collection<String> ids, Instant now) {
        java.util.Set<String> live = new java.util.HashSet<>();
        List<String> all = List.copyOf(ids);
        for (int from = 0; from < all.size(); from += LIVE_BATCH) {
            List<String> batch = all.subList(from, Math.min(all.size(), from + LIVE_BATCH));
            live.addAll(db.withHandle(h -> h.createQuery(sql)
                    .bindList("ids", batch)
                    .bind("now", now)
                    .bind("f", false)
                    .mapTo(String.class)
                    .list()));
        }
        return live;
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static String truncate(String s, int max) {
        return s == null ? null : s.length() <= max ? s : s.substring(0, max);
    }
}
