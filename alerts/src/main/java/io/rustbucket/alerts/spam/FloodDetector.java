package io.rustbucket.alerts.spam;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The same text sent again and again by one user in one group. Remembers the last {@link #PER_USER} messages of
 * at most {@link #MAX_USERS} users; past that the least recently active user is forgotten (a flood is a burst,
 * so a forgotten quiet user loses nothing that matters).
 */
final class FloodDetector {
    static final int MAX_USERS = 100_000;
    static final int PER_USER = 20;

    private record Seen(int textHash, Instant at) {}

    private final Map<String, Deque<Seen>> recent = new LinkedHashMap<>(1024, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Deque<Seen>> eldest) {
            return size() > MAX_USERS;
        }
    };

    /** Records the message and answers how many times this user sent the same text within the window. */
    synchronized int repeats(String group, String user, MessageText m, Instant now, Duration window) {
        if (m.words().isEmpty() && m.domains().isEmpty()) {
            return 0; // media without text: nothing to compare
        }
        Deque<Seen> seen = recent.computeIfAbsent(group + '\u0000' + user, k -> new ArrayDeque<>());
        while (!seen.isEmpty() && (seen.peekFirst().at().isBefore(now.minus(window)) || seen.size() >= PER_USER)) {
            seen.removeFirst();
        }
        int hash = String.join(" ", m.words()).hashCode() * 31 + m.domains().hashCode();
        seen.addLast(new Seen(hash, now));
        int same = 0;
        for (Seen s : seen) {
            if (s.textHash() == hash) {
                same++;
            }
        }
        return same;
    }
}
