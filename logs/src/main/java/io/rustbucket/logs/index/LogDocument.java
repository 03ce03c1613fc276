package io.rustbucket.logs.index;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.util.RawValue;
import io.rustbucket.core.json.Json;
import io.rustbucket.logs.ecs.LogEvent;
import java.io.IOException;
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

    /** The top-level fields every event has (or may have, {@code trace.id}); an ECS field of the same name yields. */
    private static final Set<String> FIXED =
            Set.of("@timestamp", "event.id", "service.name", "log.level", "message", "trace.id");

    /** Receives the stored form's fields one by one. */
    @FunctionalInterface
    public interface FieldSink {
        void field(String name, String value) throws IOException;
    }

    /**
     * Hands over the stored form's string fields in their order, all but {@code @timestamp}: the fixed ones, then the
     * other ECS fields. {@code labels} and {@code fields} are not strings and are not included.
     */
    public static void forEachField(LogEvent e, FieldSink sink) throws IOException {
        sink.field("event.id", e.id());
        sink.field("service.name", e.service());
        sink.field("log.level", e.level());
        sink.field("message", e.message());
        if (e.traceId() != null) {
            sink.field("trace.id", e.traceId());
        }
        for (Map.Entry<String, String> f : e.ecs().entrySet()) {
            if (!FIXED.contains(f.getKey())) {
                sink.field(f.getKey(), f.getValue());
            }
        }
    }

    /** The stored form as a map (for the API's answers and the live tail). */
    public static Map<String, Object> source(LogEvent e) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("@timestamp", e.timestamp().toString());
        try {
            forEachField(e, s::put);
        } catch (IOException impossible) { // a map's put throws nothing
            throw new IllegalStateException(impossible);
        }
        if (!e.labels().isEmpty()) {
            s.put("labels", e.labels());
        }
        if (!e.fieldsJson().isEmpty()) {
            // Already JSON (the normaliser wrote it): serialised as it is, not parsed and written again.
            s.put("fields", new RawValue(e.fieldsJson()));
        }
        return s;
    }

    /** The stored form as JSON bytes (see {@link #write}). */
    public static byte[] json(LogEvent e) {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream(512);
        try (JsonGenerator g = Json.mapper().createGenerator(out)) {
            write(e, g);
        } catch (IOException impossible) { // strings, into memory
            throw new IllegalStateException(impossible);
        }
        return out.toByteArray();
    }

    /**
     * Writes the stored form as JSON: the bytes Jackson writes for {@link #source}, without building the map first
     * (the indexers do this for every event).
     */
    public static void write(LogEvent e, JsonGenerator g) throws IOException {
        g.writeStartObject();
        g.writeStringField("@timestamp", e.timestamp().toString());
        forEachField(e, g::writeStringField);
        if (!e.labels().isEmpty()) {
            g.writeObjectFieldStart("labels");
            for (Map.Entry<String, String> l : e.labels().entrySet()) {
                g.writeStringField(l.getKey(), l.getValue());
            }
            g.writeEndObject();
        }
        if (!e.fieldsJson().isEmpty()) {
            g.writeFieldName("fields");
            g.writeRawValue(e.fieldsJson());
        }
        g.writeEndObject();
    }
}
