package io.rustbucket.bucketchat.client;

import java.nio.ByteBuffer;
import java.util.Base64;

/** A SHA-256 value held as four longs: a compact, hashable map key for chain links (a base64 string is 3x bigger). */
public record Digest(long a, long b, long c, long d) {
    public static Digest of(byte[] sha256) {
        ByteBuffer bb = ByteBuffer.wrap(sha256);
        return new Digest(bb.getLong(), bb.getLong(), bb.getLong(), bb.getLong());
    }

    /** Parses a {@code prev_event_hash}; null when it is not base64 of 32 bytes (such a link can match nothing). */
    public static Digest parse(String base64) {
        try {
            byte[] raw = Base64.getDecoder().decode(base64);
            return raw.length == 32 ? of(raw) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return Base64.getEncoder()
                .encodeToString(ByteBuffer.allocate(32)
                        .putLong(a)
                        .putLong(b)
                        .putLong(c)
                        .putLong(d)
                        .array());
    }
}
