package io.rustbucket.logs.index;

import com.fasterxml.jackson.databind.util.RawValue;
import io.rustbucket.logs.ecs.LogEvent;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The stored form of an event, the same on every backend: flat ECS names, {@code labels} and {@code fields} as
 * objects. Also the one place that says which fields are full text (analysed) and which are keywords.
 */
public final class LogDocument {
    /** Analysed for full-text search; every other field is an exact keyword. */
    public static final Set<String> TEXT_FIELDS =
            Set.of("message", "honeypot.input", "honeypot.response", "user_agent.original", "error.message");
    /** Keyword values longer than this are stored but not indexed (like a keyword mapping's ignore_above). */
    public static final int KEYWORD_MAX_CHARS = 1024;

    private LogDocument() {}

    public static Map<String, Object> source(LogEvent e) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("@timestamp", e.timestamp().toString());
        s.put("event.id", e.id());
        s.put("service.name", e.service());
        s.put("log.level", e.level());
        s.put("message", e.message());
        if (e.traceId() != null) {
            s.put("trace.id", e.traceId());
        }
        e.ecs().forEach(s::putIfAbsent);
        if (!e.labels().isEmpty()) {
            s.put("labels", e.labels());
        }
        if (!e.fieldsJson().isEmpty()) {
            // Already JSON (the normaliser wrote it): serialised as it is, not parsed and written again.
            s.put("fields", new RawValue(e.fieldsJson()));
        }
        return s;
    }
}
