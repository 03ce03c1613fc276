package io.rustbucket.logs.index;

import java.time.Instant;
import java.util.Map;

/**
 * A search over the log indices: newest first, {@code size} hits after {@code after}.
 *
 * @param q query string on {@code message} (Lucene syntax; {@code field:value} reaches other fields); empty = all
 * @param terms exact filters on keyword fields, by ECS name ({@code service.name}, {@code log.level},
 *     {@code source.ip}, {@code session.id}, {@code observer.name}, ...)
 */
public record LogQuery(String q, Map<String, String> terms, Instant from, Instant to, int size, Cursor after) {
    public static final int MAX_SIZE = 1000;

    /** Query parameters of the search and tail APIs (and the console) that filter on a keyword field. */
    public static final Map<String, String> FILTER_PARAMETERS = Map.of(
            "service", "service.name",
            "level", "log.level",
            "source_ip", "source.ip",
            "session_id", "session.id",
            "sensor", "observer.name",
            "protocol", "network.protocol",
            "action", "event.action");

    public LogQuery {
        q = q == null ? "" : q.strip();
        terms = Map.copyOf(terms);
        if (size < 1 || size > MAX_SIZE) {
            throw new IllegalArgumentException("size must be 1.." + MAX_SIZE);
        }
        if (from != null && to != null && from.isAfter(to)) {
            throw new IllegalArgumentException("from is after to");
        }
    }

    /** Where a page ended: the sort values of its last hit. */
    public record Cursor(long timestampMillis, String id) {
        public String encode() {
            return java.util.Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((timestampMillis + ":" + id).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        public static Cursor decode(String s) {
            try {
                String v =
                        new String(java.util.Base64.getUrlDecoder().decode(s), java.nio.charset.StandardCharsets.UTF_8);
                int colon = v.indexOf(':');
                return new Cursor(Long.parseLong(v.substring(0, colon)), v.substring(colon + 1));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("invalid 'after' cursor");
            }
        }
    }
}
