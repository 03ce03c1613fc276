package io.rustbucket.registry.parse;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.auth.SecretTokens;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One sensor event as the structured events table holds it. Reads nested or dotted ECS names (older sensors
 * nested them), cuts every value to its column, and derives the dedup key from {@code event.id} (or the line).
 */
public record ParsedEvent(
        String eventKey,
        String sensorName,
        Instant at,
        String sessionId,
        String sourceIp,
        Integer sourcePort,
        String protocol,
        String action,
        String userName,
        String password,
        String input,
        String response,
        String responder,
        String url,
        String fileSha256) {

    /** A line that is not a valid event, and why. */
    public static final class Invalid extends Exception {
        public Invalid(String reason) {
            super(reason, null, false, false);
        }
    }

    /**
     * Reads one event.
     *
     * @param defaultSensor the archive object's sensor, used when the event does not name its observer
     * @throws Invalid when the line is not a JSON object with a parseable {@code @timestamp}
     */
    public static ParsedEvent of(JsonNode json, String line, String defaultSensor) throws Invalid {
        if (json == null || !json.isObject()) {
            throw new Invalid("not a JSON object");
        }
        Map<String, String> f = new LinkedHashMap<>();
        flatten("", json, f);
        String ts = f.getOrDefault("@timestamp", f.get("timestamp"));
        if (ts == null) {
            throw new Invalid("no @timestamp");
        }
        Instant at;
        try {
            at = OffsetDateTime.parse(ts).toInstant();
        } catch (DateTimeParseException e) {
            try {
                at = Instant.parse(ts);
            } catch (DateTimeParseException e2) {
                throw new Invalid("unreadable @timestamp");
            }
        }
        String sensor = cut(f.getOrDefault("observer.name", defaultSensor), 128);
        String id = f.get("event.id");
        String key = SecretTokens.hash(sensor + "|" + (id != null ? "id:" + id : "line:" + line));
        return new ParsedEvent(
                key,
                sensor,
                at,
                cut(f.get("session.id"), 64),
                cut(f.get("source.ip"), 64),
                port(f.get("source.port")),
                cut(f.get("network.protocol"), 16),
                cut(f.get("event.action"), 64),
                cut(f.get("user.name"), 256),
                cut(f.get("honeypot.password"), 256),
                cut(f.get("honeypot.input"), 4096),
                cut(f.get("honeypot.response"), 4096),
                cut(f.get("honeypot.responder"), 32),
                cut(f.get("url.original"), 2048),
                cut(f.get("file.hash.sha256"), 64));
    }

    private static void flatten(String prefix, JsonNode n, Map<String, String> out) {
        if (n.isObject()) {
            n.properties()
                    .forEach(
                            e -> flatten(prefix.isEmpty() ? e.getKey() : prefix + "." + e.getKey(), e.getValue(), out));
        } else if (!n.isNull() && !n.isArray()) {
            out.put(prefix, n.asText());
        }
    }

    private static Integer port(String s) {
        if (s == null) {
            return null;
        }
        try {
            int p = Integer.parseInt(s.strip());
            return p >= 0 && p <= 65535 ? p : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    /** A value cut to {@code max} characters, never half a character. */
    public static String cut(String s, int max) {
        if (s == null) {
            return null;
        }
        if (s.length() <= max) {
            return s;
        }
        int end = Character.isHighSurrogate(s.charAt(max - 1)) ? max - 1 : max; // never half a character
        return s.substring(0, end);
    }
}
