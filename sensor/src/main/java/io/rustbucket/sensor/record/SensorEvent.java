package io.rustbucket.sensor.record;

import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One recorded interaction as an ECS document (field names of specs/sensor.md). Built with {@link #builder};
 * values the attacker chose are kept as sent (escaping is the viewer's job), but bounded in length.
 */
public final class SensorEvent {
    /** Attacker-chosen values longer than this are cut and marked, so one event stays small. */
    public static final int MAX_VALUE_CHARS = 16 * 1024;

    private final Map<String, Object> fields;
    private final Instant at;

    private SensorEvent(Map<String, Object> fields, Instant at) {
        this.fields = Collections.unmodifiableMap(fields);
        this.at = at;
    }

    public Map<String, Object> fields() {
        return fields;
    }

    public Instant timestamp() {
        return at;
    }

    /**
     * Appends this event as one JSON object (no line end). The fields are strings and numbers only, so a direct
     * encoder does what a general JSON library does here at a fraction of the cost: under a connection flood the
     * recorder writes three events per connection. Escapes as RFC 8259 requires: quote, backslash and control
     * characters; everything else is written as is (UTF-8 at the end).
     */
    public void appendJson(StringBuilder out) {
        out.append('{');
        boolean first = true;
        for (Map.Entry<String, Object> e : fields.entrySet()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append('"').append(e.getKey()).append("\":"); // names are the builder's own: nothing to escape
            Object v = e.getValue();
            if (v instanceof Number n) {
                out.append(n.longValue());
            } else {
                appendString(out, String.valueOf(v));
            }
        }
        out.append('}');
    }

    private static void appendString(StringBuilder out, String s) {
        out.append('"');
        int start = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c >= 0x20 && c != '"' && c != '\\') {
                continue;
            }
            out.append(s, start, i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                case '\b' -> out.append("\\b");
                case '\f' -> out.append("\\f");
                default -> out.append(String.format("\\u%04X", (int) c));
            }
            start = i + 1;
        }
        out.append(s, start, s.length()).append('"');
    }

    public String id() {
        return (String) fields.get("event.id");
    }

    public static Builder builder(EventAction action, Instant at, String eventId) {
        return new Builder(action, at, eventId);
    }

    /**
     * Fills the fields in the order a reader expects them; unset optional fields are left out. A builder builds
     * one event: the event takes its map, without a copy.
     */
    public static final class Builder {
        // sized for the usual 10-16 fields without a resize
        private Map<String, Object> f = new LinkedHashMap<>(32);
        private final Instant at;

        Builder(EventAction action, Instant at, String eventId) {
            this.at = at;
            f.put("@timestamp", at.toString());
            f.put("event.id", eventId);
            f.put("event.kind", "event");
            f.put("event.category", action.category());
            f.put("event.action", action.id());
            f.put("log.level", "INFO");
        }

        public Builder sensor(String name) {
            return put("observer.name", name);
        }

        public Builder session(String sessionId, String protocol) {
            put("session.id", sessionId);
            return put("network.protocol", protocol);
        }

        public Builder source(String ip, int port) {
            put("source.ip", ip);
            f.put("source.port", port);
            return this;
        }

        public Builder destinationPort(int port) {
            f.put("destination.port", port);
            return this;
        }

        public Builder user(String name, String password) {
            put("user.name", name);
            return put("honeypot.password", password);
        }

        public Builder input(String input) {
            return put("honeypot.input", input);
        }

        /** The answer sent back, where it came from ({@code emulator}, {@code cache}, {@code llm}, {@code fallback}) and how long it took. */
        public Builder response(String response, String responder, long latencyMs) {
            put("honeypot.response", response);
            put("honeypot.responder", responder);
            f.put("honeypot.latency_ms", latencyMs);
            return this;
        }

        public Builder http(String method, String url, String userAgent) {
            put("http.request.method", method);
            put("url.original", url);
            return put("user_agent.original", userAgent);
        }

        /** ECS {@code event.outcome}: {@code success} or {@code failure} (a login, an upload). */
        public Builder outcome(boolean success) {
            return put("event.outcome", success ? "success" : "failure");
        }

        /** The fingerprint of a public key offered at an SSH login ({@code SHA256:...}). */
        public Builder keyFingerprint(String fingerprint) {
            return put("honeypot.key_fingerprint", fingerprint);
        }

        /** The client's software, as it announced itself (SSH identification, HTTP User-Agent). */
        public Builder userAgent(String agent) {
            return put("user_agent.original", agent);
        }

        public Builder url(String url) {
            return put("url.original", url);
        }

        /** ECS {@code file.path} and {@code file.size} of an uploaded or downloaded file. */
        public Builder fileName(String path, long size) {
            put("file.path", path);
            f.put("file.size", size);
            return this;
        }

        public Builder fileHash(String sha256) {
            return put("file.hash.sha256", sha256);
        }

        public Builder level(String level) {
            return put("log.level", level);
        }

        public Builder message(String message) {
            return put("message", message);
        }

        public SensorEvent build() {
            if (f == null) {
                throw new IllegalStateException("this builder has built its event already");
            }
            f.putIfAbsent("message", f.get("event.action").toString());
            SensorEvent e = new SensorEvent(f, at);
            f = null;
            return e;
        }

        private Builder put(String key, String value) {
            if (value != null) {
                f.put(
                        key,
                        value.length() > MAX_VALUE_CHARS
                                ? value.substring(0, MAX_VALUE_CHARS) + "[...truncated]"
                                : value);
            }
            return this;
        }
    }
}
