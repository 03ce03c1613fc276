package io.rustbucket.registry.keys;

import static io.rustbucket.core.sql.Rows.instant;

import io.rustbucket.core.auth.SecretTokens;
import io.rustbucket.core.sql.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Keys an admin issues so a sensor can register: 256 random bits, shown once, stored as SHA-256, optionally
 * expiring, revocable, single-use (the sensor that used a key may re-register with it; nobody else may).
 */
public final class RegistrationKeys {
    public static final String PREFIX = "rbk_";
    public static final int MAX_EXPIRES_IN_DAYS = 3650;

    /** What the registry shows about a key; never the key. */
    public record KeyInfo(
            String id,
            String name,
            String createdBy,
            Instant createdAt,
            Instant expiresAt,
            Instant revokedAt,
            Instant usedAt,
            String sensorId) {
        /** {@code unused}, {@code used}, {@code expired} or {@code revoked}. */
        public String state(Instant now) {
            if (revokedAt != null) {
                return "revoked";
            }
            if (usedAt != null) {
                return "used";
            }
            return expiresAt != null && !now.isBefore(expiresAt) ? "expired" : "unused";
        }
    }

    /** A created key: the secret exists only in this answer. */
    public record Issued(String key, KeyInfo info) {}

    private final Database db;
    private final Clock clock;

    public RegistrationKeys(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Issues a key.
     *
     * @param expiresInDays days the key may be used for a first registration; null = no expiry
     * @throws IllegalArgumentException for an empty or too long name or an out-of-range expiry
     */
    public Issued create(String actor, String name, Integer expiresInDays) {
        if (name == null || name.isBlank() || name.strip().length() > 128) {
            throw new IllegalArgumentException("name must have 1-128 characters");
        }
        if (expiresInDays != null && (expiresInDays < 1 || expiresInDays > MAX_EXPIRES_IN_DAYS)) {
            throw new IllegalArgumentException("expires_in_days must be 1.." + MAX_EXPIRES_IN_DAYS);
        }
        Instant now = clock.instant();
        String key = SecretTokens.generate(PREFIX, 32);
        KeyInfo info = new KeyInfo(
                UUID.randomUUID().toString(),
                name.strip(),
                actor,
                now,
                expiresInDays == null ? null : now.plus(Duration.ofDays(expiresInDays)),
                null,
                null,
                null);
        db.useHandle(h -> h.createUpdate("INSERT INTO registration_keys (id, name, key_hash, created_by, created_at, "
                        + "expires_at) VALUES (:id, :name, :hash, :by, :at, :exp)")
                .bind("id", info.id())
                .bind("name", info.name())
                .bind("hash", SecretTokens.hash(key))
                .bind("by", actor)
                .bind("at", now)
                .bind("exp", info.expiresAt())
                .execute());
        return new Issued(key, info);
    }

    public List<KeyInfo> list() {
        return db.withHandle(h -> h.createQuery("SELECT * FROM registration_keys ORDER BY created_at DESC, id")
                .map((rs, ctx) -> row(rs))
                .list());
    }

    public Optional<KeyInfo> find(String id) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM registration_keys WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findOne());
    }

    /** Revokes a key; a sensor that used it keeps running but cannot register with it again. */
    public boolean revoke(String id) {
        return db.withHandle(h -> h.createUpdate(
                                "UPDATE registration_keys SET revoked_at = :now WHERE id = :id AND revoked_at IS NULL")
                        .bind("now", clock.instant())
                        .bind("id", id)
                        .execute())
                > 0;
    }

    static KeyInfo row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new KeyInfo(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("created_by"),
                instant(rs, "created_at"),
                instant(rs, "expires_at"),
                instant(rs, "revoked_at"),
                instant(rs, "used_at"),
                rs.getString("sensor_id"));
    }
}
