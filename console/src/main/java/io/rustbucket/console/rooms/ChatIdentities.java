package io.rustbucket.console.rooms;

import io.rustbucket.bucketchat.crypto.Ed25519;
import io.rustbucket.bucketchat.crypto.EventSigner;
import io.rustbucket.core.auth.SecretBox;
import io.rustbucket.core.auth.User;
import io.rustbucket.core.sql.Database;
import io.rustbucket.core.sql.DuplicateKeyException;
import java.time.Clock;
import java.util.Base64;
import java.util.Optional;

/**
 * Each platform user's Bucket Chat signing identity: generated on first use, the private key kept sealed in the
 * database, the sender id {@code <username>@rustbucket}. The same key signs every room the user writes to.
 */
public final class ChatIdentities {
    static final String DOMAIN = "rustbucket";

    /** A user's identity as others see it. */
    public record Identity(String senderId, String publicKey) {}

    private final Database db;
    private final SecretBox box;
    private final Clock clock;

    public ChatIdentities(Database db, SecretBox box, Clock clock) {
        this.db = db;
        this.box = box;
        this.clock = clock;
    }

    public static String senderId(User user) {
        return user.username() + "@" + DOMAIN;
    }

    /** The user's identity, if one was made. */
    public Optional<Identity> find(User user) {
        return db.withHandle(h -> h.createQuery("SELECT sender_id, public_key FROM chat_identities WHERE user_id = :u")
                .bind("u", user.id())
                .map((rs, ctx) -> new Identity(rs.getString(1), rs.getString(2)))
                .findOne());
    }

    /** The user's signer, making the identity on first use (two concurrent first uses agree on one key). */
    public EventSigner signer(User user) {
        Optional<EventSigner> existing = load(user);
        if (existing.isPresent()) {
            return existing.get();
        }
        Ed25519.Keys keys = Ed25519.generate();
        try {
            db.useHandle(h -> h.createUpdate("INSERT INTO chat_identities (user_id, sender_id, public_key, "
                            + "sealed_seed, created_at) VALUES (:u, :s, :pk, :seed, :at)")
                    .bind("u", user.id())
                    .bind("s", senderId(user))
                    .bind("pk", keys.publicKeyBase64())
                    .bind("seed", box.seal(user.id(), keys.seedBase64()))
                    .bind("at", clock.instant())
                    .execute());
        } catch (DuplicateKeyException e) {
            return load(user).orElseThrow(() -> e);
        }
        return new EventSigner(senderId(user), keys);
    }

    private Optional<EventSigner> load(User user) {
        return db.withHandle(h -> h.createQuery("SELECT sender_id, sealed_seed FROM chat_identities WHERE user_id = :u")
                        .bind("u", user.id())
                        .map((rs, ctx) -> new String[] {rs.getString(1), rs.getString(2)})
                        .findOne())
                .map(row -> new EventSigner(
                        row[0], Ed25519.fromSeed(Base64.getDecoder().decode(box.open(user.id(), row[1])))));
    }
}
