package io.rustbucket.core.auth;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Tells what a credential authorised, and outlives the request, that the credential has ended. An open stream takes
 * a {@link Watch} on the session or API token that opened it; signing out, a password change ending the other
 * sessions, or revoking the token sets the watch's flag at once, and the stream ends at its next look. What this
 * process cannot see happen (an expiry, a sign-out or revocation by another process sharing the database, a user
 * disabled) is found by {@link #recheck}, which the platform runs every {@link #RECHECK_INTERVAL}: a stream lives no
 * longer than the credential that opened it, give or take that interval.
 */
public final class Revocations {
    public static final java.time.Duration RECHECK_INTERVAL = java.time.Duration.ofSeconds(30);

    private static final String SESSION = "session:";
    private static final String TOKEN = "token:";

    /** The watches of credentials still in force, by {@link #SESSION} or {@link #TOKEN} and the credential's id. */
    private final Map<String, Set<Watch>> watches = new ConcurrentHashMap<>();

    /** Watches the credential of {@code principal}; close the watch when what it guards ends. */
    public Watch watch(Principal principal) {
        String key = principal
                .sessionId()
                .map(id -> SESSION + id)
                .or(() -> principal.tokenId().map(id -> TOKEN + id))
                .orElse(null);
        Watch w = new Watch(key);
        if (key != null) {
            watches.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(w);
        }
        return w;
    }

    void sessionEnded(String sessionId) {
        ended(SESSION + sessionId);
    }

    void tokenRevoked(String tokenId) {
        ended(TOKEN + tokenId);
    }

    /**
     * Asks the database which watched credentials are still in force and ends the watches of the others.
     *
     * @param liveSessions the ids, of those given, of sessions still valid ({@link Sessions#live})
     * @param liveTokens the ids, of those given, of API tokens still valid ({@link ApiTokens#live})
     */
    public void recheck(
            Function<Collection<String>, Set<String>> liveSessions,
            Function<Collection<String>, Set<String>> liveTokens) {
        List<String> sessions = new ArrayList<>();
        List<String> tokens = new ArrayList<>();
        for (String key : watches.keySet()) {
            if (key.startsWith(SESSION)) {
                sessions.add(key.substring(SESSION.length()));
            } else {
                tokens.add(key.substring(TOKEN.length()));
            }
        }
        if (!sessions.isEmpty()) {
            Set<String> live = liveSessions.apply(sessions);
            sessions.stream().filter(id -> !live.contains(id)).forEach(this::sessionEnded);
        }
        if (!tokens.isEmpty()) {
            Set<String> live = liveTokens.apply(tokens);
            tokens.stream().filter(id -> !live.contains(id)).forEach(this::tokenRevoked);
        }
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
