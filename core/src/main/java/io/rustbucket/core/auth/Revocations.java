package io.rustbucket.core.auth;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Tells what a credential authorised, and outlives the request, that the credential has ended. An open stream takes
 * a {@link Watch} on the session or API token that opened it; signing out, a password change ending the other
 * sessions, or revoking the token sets the watch's flag, and the stream ends at its next look. Only what this
 * process ends is seen (an expiry is found at the credential's next use).
 */
public final class Revocations {
    /** The watches of credentials still in force, by "session:ID" or "token:ID". */
    private final Map<String, Set<Watch>> watches = new ConcurrentHashMap<>();

    /** Watches the credential of {@code principal}; close the watch when what it guards ends. */
    public Watch watch(Principal principal) {
        String key = principal
                .sessionId()
                .map(id -> "session:" + id)
                .or(() -> principal.tokenId().map(id -> "token:" + id))
                .orElse(null);
        Watch w = new Watch(key);
        if (key != null) {
            watches.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(w);
        }
        return w;
    }

    void sessionEnded(String sessionId) {
        ended("session:" + sessionId);
    }

    void tokenRevoked(String tokenId) {
        ended("token:" + tokenId);
    }

    private void ended(String key) {
        Set<Watch> watching = watches.remove(key);
        if (watching != null) {
            watching.forEach(w -> w.ended = true);
        }
    }

    /** See {@link #watch}. */
    public final class Watch implements AutoCloseable {
        private final String key;
        private volatile boolean ended;

        private Watch(String key) {
            this.key = key;
        }

        public boolean ended() {
            return ended;
        }

        @Override
        public void close() {
            if (key != null) {
                watches.computeIfPresent(key, (k, set) -> {
                    set.remove(this);
                    return set.isEmpty() ? null : set;
                });
            }
        }
    }
}
