package io.rustbucket.assistant;

import io.rustbucket.core.auth.SecretTokens;
import io.rustbucket.core.auth.User;
import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.http.ProblemCode;
import io.rustbucket.core.sql.Database;
import io.rustbucket.core.sql.Rows;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Locale;

/**
 * Invitations to a conversation: a URL-safe random token (only its hash is stored) for one e-mail address and
 * role, with an expiry. Accepting needs a signed-in account with that e-mail; revoked, expired or used invites
 * are refused.
 */
public final class Invites {
    public static final Duration MAX_TTL = Duration.ofDays(30);

    public record Issued(String token, Instant expiresAt) {}

    private final Database db;
    private final Conversations conversations;
    private final Clock clock;

    public Invites(Database db, Conversations conversations, Clock clock) {
        this.db = db;
        this.conversations = conversations;
        this.clock = clock;
    }

    public Issued create(String actorId, String conversationId, String email, ConversationRole role, long ttlSeconds) {
        ConversationRole actor = conversations.require(conversationId, actorId, ConversationRole.ADMIN);
        if (email == null || !email.contains("@") || email.length() > 254) {
            throw ApiException.validation("email must be an e-mail address");
        }
        if (role == ConversationRole.OWNER && actor != ConversationRole.OWNER) {
            throw ApiException.forbidden("only an owner can invite an owner");
        }
        Duration ttl = Duration.ofSeconds(ttlSeconds <= 0 ? Duration.ofDays(7).toSeconds() : ttlSeconds);
        if (ttl.compareTo(MAX_TTL) > 0) {
            throw ApiException.validation("ttl_seconds is at most " + MAX_TTL.toSeconds());
        }
        String token = SecretTokens.generate("inv_", 24);
        Instant now = clock.instant();
        db.useHandle(h -> h.createUpdate("INSERT INTO asst_invites (token_hash, conversation_id, email, role, "
                        + "created_by, created_at, expires_at) VALUES (:h, :c, :e, :r, :by, :now, :exp)")
                .bind("h", SecretTokens.hash(token))
                .bind("c", conversationId)
                .bind("e", email.strip().toLowerCase(Locale.ROOT))
                .bind("r", role.id())
                .bind("by", actorId)
                .bind("now", now)
                .bind("exp", now.plus(ttl))
                .execute());
        return new Issued(token, now.plus(ttl));
    }

    /** Accepts an invite as the signed-in user; returns the conversation id. */
    public String accept(User user, String token) {
        if (token == null || token.isBlank() || token.length() > 100) {
            throw ApiException.validation("token is required");
        }
        String hash = SecretTokens.hash(token.strip());
        Instant now = clock.instant();
        return db.inTransaction(h -> {
            var row = h.createQuery("SELECT * FROM asst_invites WHERE token_hash = :h")
                    .bind("h", hash)
                    .map((rs, ctx) -> new Object[] {
                        rs.getString("conversation_id"),
                        rs.getString("email"),
                        rs.getString("role"),
                        Rows.instant(rs, "expires_at"),
                        Rows.instant(rs, "revoked_at"),
                        rs.getString("accepted_by")
                    })
                    .findOne()
                    .orElseThrow(() -> ApiException.notFound("invite"));
            if (row[4] != null) {
                throw new ApiException(ProblemCode.CONFLICT, "this invite was revoked");
            }
            if (row[5] != null) {
                throw new ApiException(ProblemCode.CONFLICT, "this invite was already used");
            }
            if (!now.isBefore((Instant) row[3])) {
                throw new ApiException(ProblemCode.CONFLICT, "this invite has expired");
            }
            if (user.email() == null || !user.email().equalsIgnoreCase((String) row[1])) {
                throw ApiException.forbidden("this invite is for another e-mail address");
            }
            String conversationId = (String) row[0];
            h.createUpdate("UPDATE asst_invites SET accepted_by = :u, accepted_at = :now WHERE token_hash = :h")
                    .bind("u", user.id())
                    .bind("now", now)
                    .bind("h", hash)
                    .execute();
            boolean member = h.createQuery("SELECT COUNT(*) FROM asst_participants WHERE conversation_id = :c "
                                    + "AND user_id = :u")
                            .bind("c", conversationId)
                            .bind("u", user.id())
                            .mapTo(Long.class)
                            .one()
                    > 0;
            if (!member) {
                h.createUpdate("INSERT INTO asst_participants (conversation_id, user_id, role, joined_at) "
                                + "VALUES (:c, :u, :r, :now)")
                        .bind("c", conversationId)
                        .bind("u", user.id())
                        .bind("r", row[2])
                        .bind("now", now)
                        .execute();
            }
            return conversationId;
        });
    }

    /** Revokes an unused invite (owners and admins of its conversation). */
    public void revoke(String actorId, String token) {
        String hash = SecretTokens.hash(token == null ? "" : token.strip());
        String conversationId = db.withHandle(
                        h -> h.createQuery("SELECT conversation_id FROM asst_invites WHERE token_hash = :h")
                                .bind("h", hash)
                                .mapTo(String.class)
                                .findOne())
                .orElseThrow(() -> ApiException.notFound("invite"));
        conversations.require(conversationId, actorId, ConversationRole.ADMIN);
        db.useHandle(h -> h.createUpdate(
                        "UPDATE asst_invites SET revoked_at = :now WHERE token_hash = :h " + "AND revoked_at IS NULL")
                .bind("now", clock.instant())
                .bind("h", hash)
                .execute());
    }
}
