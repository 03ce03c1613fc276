package io.rustbucket.logs.ecs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rustbucket.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Turns one JSON object as shippers send it into a {@link LogEvent}: nested ({@code {"service":{"name":"x"}}}) and
 * dotted ({@code {"service.name":"x"}}) names both accepted, level upper-cased, defaults filled, and every size
 * bounded. Keys outside the ECS groups the platform maps go to {@code fields}: stored, never mapped one by one,
 * so a chatty shipper cannot explode the mapping.
 */
public final class EcsNormalizer {
    /** Longest message kept; longer ones are refused, not cut, so nothing is half-indexed silently. */
    public static final int MAX_MESSAGE_CHARS = 1024 * 1024;
    /** Longest single ECS value (URLs, user agents, attacker input). */
    public static final int MAX_VALUE_CHARS = 32 * 1024;

    public static final int MAX_LABELS = 64;
    public static final int MAX_FIELDS_JSON_CHARS = 64 * 1024;

    /** ECS groups mapped field by field (see docs/logs.md for keyword vs text). */
    static final Set<String> GROUPS = Set.of(
            "event",
            "source",
            "destination",
            "network",
            "user",
            "url",
            "http",
            "user_agent",
            "session",
            "observer",
            "honeypot",
            "file",
            "client",
            "server",
            "host",
            "process",
            "error",
            "log");

    private EcsNormalizer() {}

    /**
     * @param receivedAt the default {@code @timestamp}
     * @throws InvalidEventException naming what is wrong with the item
     */
    public static LogEvent normalize(JsonNode item, Instant receivedAt) {
        if (!(item instanceof ObjectNode object)) {
            throw new InvalidEventException("an event must be a JSON object");
        }
        Map<String, JsonNode> flat = new TreeMap<>();
        Map<String, String> labels = new TreeMap<>();
        ObjectNode fields = Json.mapper().createObjectNode();
        object.properties().forEach(e -> {
            switch (e.getKey()) {
                case "labels" -> readLabels(e.getValue(), labels);
                case "fields" -> {
                    if (!e.getValue().isObject()) {
                        throw new InvalidEventException("fields must be an object");
                    }
                    fields.setAll((ObjectNode) e.getValue());
                }
                default -> flatten(e.getKey(), e.getValue(), flat);
            }
        });

        Instant timestamp = timestamp(flat.remove("@timestamp"), receivedAt);
        String service = text(flat.remove("service.name"), "service.name", "app");
        String level = text(flat.remove("log.level"), "log.level", "INFO").toUpperCase(Locale.ROOT);
        String message = text(flat.remove("message"), "message", "");
        if (message.length() > MAX_MESSAGE_CHARS) {
            throw new InvalidEventException("message longer than " + MAX_MESSAGE_CHARS + " characters");
        }
        String traceId = text(flat.remove("trace.id"), "trace.id", null);
        String eventId = text(flat.get("event.id"), "event.id", null);
        if (eventId != null && (eventId.isBlank() || eventId.length() > 256)) {
            throw new InvalidEventException("event.id must have 1-256 characters");
        }

        Map<String, String> ecs = new TreeMap<>();
        flat.forEach((key, value) -> {
            String group = key.contains(".") ? key.substring(0, key.indexOf('.')) : key;
            if (GROUPS.contains(group) && key.contains(".")) {
                String v = value.isValueNode() ? value.asText() : value.toString();
                if (v.length() > MAX_VALUE_CHARS) {
                    throw new InvalidEventException(key + " longer than " + MAX_VALUE_CHARS + " characters");
                }
                if (!value.isNull()) {
                    ecs.put(key, v);
                }
            } else {
                fields.set(key, value);
            }
        });
        String fieldsJson = fields.isEmpty() ? "" : fields.toString();
        if (fieldsJson.length() > MAX_FIELDS_JSON_CHARS) {
            throw new InvalidEventException(
                    "fields (with unknown keys) larger than " + MAX_FIELDS_JSON_CHARS + " characters");
        }
        String id = eventId != null ? eventId : contentId(object);
        return new LogEvent(id, timestamp, service, level, message, traceId, labels, ecs, fieldsJson);
    }

    private static void flatten(String prefix, JsonNode value, Map<String, JsonNode> out) {
        if (value.isObject()) {
            value.properties().forEach(e -> flatten(prefix + "." + e.getKey(), e.getValue(), out));
        } else {
            out.put(prefix, value);
        }
    }

    private static void readLabels(JsonNode node, Map<String, String> labels) {
        if (!node.isObject()) {
            throw new InvalidEventException("labels must be a flat object of strings");
        }
        node.properties().forEach(e -> {
            if (!e.getValue().isValueNode()) {
                throw new InvalidEventException("labels." + e.getKey() + " must be a string, not "
                        + e.getValue().getNodeType());
            }
            if (labels.size() >= MAX_LABELS) {
                throw new InvalidEventException("more than " + MAX_LABELS + " labels");
            }
            labels.put(e.getKey(), e.getValue().asText());
        });
    }

    private static Instant timestamp(JsonNode node, Instant receivedAt) {
        if (node == null || node.isNull()) {
            return receivedAt;
        }
        if (!node.isTextual()) {
            throw new InvalidEventException("@timestamp must be an RFC 3339 string, not "
                    + node.getNodeType().toString().toLowerCase(Locale.ROOT));
        }
        String text = node.asText();
        Instant quick = rfc3339(text);
        if (quick != null) {
            return quick;
        }
        try {
            return OffsetDateTime.parse(text).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("@timestamp is not RFC 3339: " + truncate(text));
        }
    }

    /**
     * The shape nearly every shipper sends, {@code 2026-01-31T12:00:00[.fraction](Z|+hh:mm)}, read without the
     * general parser (which costs more than the rest of an event's normalising); null for anything else, which the
     * general parser then accepts or refuses. A value this accepts means what the general parser reads.
     */
    public static Instant rfc3339(String t) {
        int n = t.length();
        if (n < 20
                || t.charAt(4) != '-'
                || t.charAt(7) != '-'
                || t.charAt(10) != 'T'
                || t.charAt(13) != ':'
                || t.charAt(16) != ':') {
            return null;
        }
        int year = digits(t, 0, 4);
        int month = digits(t, 5, 2);
        int day = digits(t, 8, 2);
        int hour = digits(t, 11, 2);
        int minute = digits(t, 14, 2);
        int second = digits(t, 17, 2);
        int at = 19;
        int nanos = 0;
        if (t.charAt(at) == '.') {
            int start = ++at;
            while (at < n && at - start < 10 && t.charAt(at) >= '0' && t.charAt(at) <= '9') {
                nanos = nanos * 10 + (t.charAt(at++) - '0');
            }
            int count = at - start;
            if (count == 0 || count > 9) {
                return null;
            }
            for (int i = count; i < 9; i++) {
                nanos *= 10;
            }
        }
        int offsetSeconds;
        if (at == n - 1 && t.charAt(at) == 'Z') {
            offsetSeconds = 0;
        } else if (at == n - 6 && (t.charAt(at) == '+' || t.charAt(at) == '-') && t.charAt(at + 3) == ':') {
            int oh = digits(t, at + 1, 2);
            int om = digits(t, at + 4, 2);
            if (oh < 0 || om < 0 || oh > 18 || om > 59) {
                return null;
            }
            offsetSeconds = (t.charAt(at) == '-' ? -1 : 1) * (oh * 3600 + om * 60);
        } else {
            return null;
        }
        if (year < 0 || month < 0 || day < 0 || hour < 0 || minute < 0 || second < 0) {
            return null;
        }
        try {
            return java.time.LocalDateTime.of(year, month, day, hour, minute, second, nanos)
                    .toInstant(java.time.ZoneOffset.ofTotalSeconds(offsetSeconds));
        } catch (java.time.DateTimeException outOfRange) { // month 13, hour 24...: the general parser says why
            return null;
        }
    }

    /** The number in {@code count} ASCII digits at {@code from}, or -1. */
    private static int digits(String t, int from, int count) {
        int v = 0;
        for (int i = from; i < from + count; i++) {
            char c = t.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            v = v * 10 + (c - '0');
        }
        return v;
    }

    private static String text(JsonNode node, String key, String fallback) {
        if (node == null || node.isNull()) {
            return fallback;
        }
        if (!node.isValueNode()) {
            throw new InvalidEventException(key + " must be a string");
        }
        return node.asText();
    }

    /**
     * A stable id from the content as sent: SHA-256 over the JSON tree walked with object keys sorted, so the same
     * event retried gets the same id. The walk writes its canonical bytes into one buffer and the digest takes
     * them in one call (a call per value cost more than the hash itself).
     */
    static String contentId(ObjectNode object) {
        Canonical out = new Canonical();
        out.value(object);
        MessageDigest d;
        try {
            d = (MessageDigest) SHA_256.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException(e);
        }
        d.update(out.bytes, 0, out.length);
        return HexFormat.of().formatHex(d.digest(), 0, 20);
    }

    private static final MessageDigest SHA_256;

    static {
        try {
            SHA_256 = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The bytes the content id hashes: objects as {@code {key:value,...}} with keys sorted, arrays as
     * {@code [value,...]}, strings as {@code "} + 4-byte big-endian UTF-8 length + UTF-8 (unambiguous without
     * escaping), null as {@code n}, numbers and booleans as {@code #} + their JSON text (so 1 and "1" differ).
     */
    private static final class Canonical {
        byte[] bytes = new byte[512];
        int length;

        void value(JsonNode n) {
            switch (n.getNodeType()) {
                case OBJECT -> {
                    add('{');
                    String[] keys = new String[n.size()];
                    int i = 0;
                    for (var it = n.fieldNames(); it.hasNext(); ) {
                        keys[i++] = it.next();
                    }
                    java.util.Arrays.sort(keys);
                    for (String k : keys) {
                        string(k);
                        add(':');
                        value(n.get(k));
                        add(',');
                    }
                    add('}');
                }
                case ARRAY -> {
                    add('[');
                    for (JsonNode item : n) {
                        value(item);
                        add(',');
                    }
                    add(']');
                }
                case STRING -> string(n.textValue());
                case NULL -> add('n');
                default -> {
                    add('#');
                    add(n.asText().getBytes(StandardCharsets.UTF_8));
                }
            }
        }

        private void string(String s) {
            int n = s.length();
            boolean ascii = true;
            for (int i = 0; i < n && ascii; i++) {
                ascii = s.charAt(i) < 0x80;
            }
            byte[] utf8 = ascii ? null : s.getBytes(StandardCharsets.UTF_8);
            int len = ascii ? n : utf8.length;
            room(5 + len);
            bytes[length++] = '"';
            bytes[length++] = (byte) (len >>> 24);
            bytes[length++] = (byte) (len >>> 16);
            bytes[length++] = (byte) (len >>> 8);
            bytes[length++] = (byte) len;
            if (ascii) {
                for (int i = 0; i < n; i++) {
                    bytes[length++] = (byte) s.charAt(i);
                }
            } else {
                System.arraycopy(utf8, 0, bytes, length, len);
                length += len;
            }
        }

        private void add(char c) {
            room(1);
            bytes[length++] = (byte) c;
        }

        private void add(byte[] b) {
            room(b.length);
            System.arraycopy(b, 0, bytes, length, b.length);
            length += b.length;
        }

        private void room(int more) {
            if (length + more > bytes.length) {
                bytes = java.util.Arrays.copyOf(bytes, Math.max(bytes.length * 2, length + more));
            }
        }
    }

    private static String truncate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
