package io.rustbucket.sensor.respond;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * LLM answers reused for the same question: key = persona + service + normalised input. Bounded: the least
 * recently used entry goes when full; entries older than the TTL are not served.
 */
final class ResponseCache {
    private record Cached(String text, Instant storedAt) {}

    private final int capacity;
    private final Duration ttl;
    private final Clock clock;
    private final LinkedHashMap<String, Cached> entries;

    ResponseCache(int capacity, Duration ttl, Clock clock) {
        this.capacity = capacity;
        this.ttl = ttl;
        this.clock = clock;
        this.entries = new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Cached> eldest) {
                return size() > ResponseCache.this.capacity;
            }
        };
    }

    /** Case is kept (commands are case-sensitive); runs of white space count as one. */
    static String key(String persona, String service, String input) {
        return persona + '\u0000' + service + '\u0000' + input.strip().replaceAll("\\s+", " ");
    }

    synchronized Optional<String> get(String key) {
        Cached e = entries.get(key);
        if (e == null) {
            return Optional.empty();
        }
        if (e.storedAt().plus(ttl).isBefore(clock.instant())) {
            entries.remove(key);
            return Optional.empty();
        }
        return Optional.of(e.text());
    }

    synchronized void put(String key, String text) {
        if (capacity > 0) {
            entries.put(key, new Cached(text, clock.instant()));
        }
    }
}
