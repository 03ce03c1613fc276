package io.rustbucket.core.auth;

import static io.rustbucket.core.sql.Rows.instant;

import io.rustbucket.core.sql.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Bearer API tokens ({@code rbt_...}) for scripts, shippers and sensors. Only the SHA-256 of a token is stored;
 * the token itself is shown once, when created.
 */
public final class ApiTokens {
    public static final String PREFIX = "rbt_";

    /** A token's description, never its secret. */
    public record ApiToken(
            String id,
            String userId,
            String name,
            Scope scope,
            Instant createdAt,
            Instant lastUsedAt,
            Instant expiresAt,
            Instant revokedAt) {}

    /** A created token: the secret exists only in this answer. */
    public record Issued(String token, ApiToken info) {}

    private final Database db;
    private final Accounts accounts;
    private final Clock clock;
    private final Revocations revocations;

    public ApiTokens(Database db, Accounts accounts, Clock clock, Revocations revocations) {
        this.db = db;
        this.accounts = accounts;
        this.clock = clock;
        this.revocations = revocations;
    }

    /**
     * Creates a token for a user.
     *
     * @param ttl lifetime, or null for a token that lives until revoked
     * @throws IllegalArgumentException when the name is empty or too long, or the user's role does not allow the
     *     scope (admin scope needs an admin; ingest needs an analyst)
     */
    public Issued create(User owner, String name, Scope scope, Duration ttl) {
        if (name == null || name.isBlank() || name.length() > 128) {
            throw new IllegalArgumentException("token name must have 1-128 characters");
        }
        Role needed = switch (scope) {
            case ADMIN -> Role.ADMIN;
            case INGEST -> Role.ANALYST;
            case READ -> Role.VIEWER;
        };
        if (!owner.has(needed)) {
            throw new IllegalArgumentException(
                    "a " + owner.topRole().id() + " cannot create a token with scope " + scope.id());
        }
        Instant now = clock.instant();
        String token = SecretTokens.generate(PREFIX, 32);
        ApiToken info = new ApiToken(
                UUID.randomUUID().toString(),
                owner.id(),
                name.strip(),
                scope,
                now,
                null,
                ttl == null ? null : now.plus(ttl),
                null);
        db.useHandle(h -> h.createUpdate("INSERT INTO api_tokens (id, user_id, name, scope, token_hash, created_at, "
                        + "expires_at) VALUES (:id, :uid, :name, :scope, :th, :now, :exp)")
                .bind("id", info.id())
                .bind("uid", owner.id())
                .bind("name", info.name())
                .bind("scope", scope.id())
                .bind("th", SecretTokens.hash(token))
                .bind("now", now)
                .bind("exp", info.expiresAt())
                .execute());
        return new Issued(token, info);
    }

    /** Resolves a bearer token to its principal; revoked, expired or unknown tokens and disabled users fail. */
    public Optional<Principal> resolve(String token) {
        if (token == null || !token.startsWith(PREFIX) || token.length() > 128) {
            return Optional.empty();
        }
        Instant now = clock.instant();
        Optional<ApiToken> found = db.withHandle(h -> h.createQuery("SELECT * FROM api_tokens WHERE token_hash = :th")
                .bind("th", SecretTokens.hash(token))
                .map((rs, ctx) -> row(rs))
                .findOne());
        Optional<ApiToken> live = found.filter(t -> t.revokedAt() == null)
                .filter(t -> t.expiresAt() == null || now.isBefore(t.expiresAt()));
        if (live.isEmpty()) {
            return Optional.empty();
        }
        ApiToken t = live.get();
        if (t.lastUsedAt() == null || Duration.between(t.lastUsedAt(), now).compareTo(Sessions.TOUCH_INTERVAL) >= 0) {
            db.useHandle(h -> h.createUpdate("UPDATE api_tokens SET last_used_at = :now WHERE id = :id")
                    .bind("now", now)
                    .bind("id", t.id())
                    .execute());
        }
        return accounts.find(t.userId()).filter(u -> !u.disabled()).map(u -> Principal.token(u, t.scope(), t.id()));
    }

    /** Of the given token ids, those still valid now: not revoked, not expired, their user not disabled. */
    public java.util.Set<String> live(java.util.Collection<String> ids) {
        return Sessions.liveIds(
                db,
                "SELECT t.id FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE t.id IN (<ids>) "
                        + "AND t.revoked_at IS NULL AND (t.expires_at IS NULL OR t.expires_at > :now) AND u.disabled = :f",
                ids,
                clock.instant());
    }

    /** Lists a user's tokens, or everyone's when {@code userId} is null. */
    public List<ApiToken> list(String userId) {
        return db.withHandle(h -> {
            var q = h.createQuery("SELECT * FROM api_tokens" + (userId == null ? "" : " WHERE user_id = :uid")
                    + " ORDER BY created_at DESC, id");
            if (userId != null) { // every user's tokens (an admin's view) when null
                q.bind("uid", userId);
            }
            return q.map((rs, ctx) -> row(rs)).list();
        });
    }

    /** Revokes a token of a user (or any token when {@code userId} is null); false when there is none. */
    public boolean revoke(String userId, String tokenId) {
        boolean revoked = db.withHandle(h -> h.createUpdate("UPDATE api_tokens SET revoked_at = :now WHERE id = :id "
                                + "AND revoked_at IS NULL" + (userId == null ? "" : " AND user_id = :uid"))
                        .bind("now", clock.instant())
                        .bind("id", tokenId)
                        .bind("uid", userId)
                        .execute())
                > 0;
        if (revoked) {
            revocations.tokenRevoked(tokenId);
        }
        return revoked;
    }

    private static ApiToken row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new ApiToken(
                rs.getString("id"),
                rs.getString("user_id"),
                rs.getString("name"),
                Scope.parse(rs.getString("scope")),
                instant(rs, "created_at"),
                instant(rs, "last_used_at"),
                instant(rs, "expires_at"),
                instant(rs, "revoked_at"));
    }
}
