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
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
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
        try {
            return OffsetDateTime.parse(node.asText()).toInstant();
        } catch (DateTimeParseException e) {
            throw new InvalidEventException("@timestamp is not RFC 3339: " + truncate(node.asText()));
        }
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
     * A stable id from the content as sent: SHA-256 over the JSON tree walked with object keys sorted, fed to the
     * digest directly (no intermediate maps or strings), so the same event retried gets the same id.
     */
    static String contentId(ObjectNode object) {
        try {
            MessageDigest d = MessageDigest.getInstance("SHA-256");
            digest(object, d);
            return HexFormat.of().formatHex(d.digest(), 0, 20);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void digest(JsonNode n, MessageDigest d) {
        switch (n.getNodeType()) {
            case OBJECT -> {
                d.update((byte) '{');
                List<String> keys = new ArrayList<>();
                n.fieldNames().forEachRemaining(keys::add);
                keys.sort(null);
                for (String k : keys) {
                    update(d, k);
                    d.update((byte) ':');
                    digest(n.get(k), d);
                    d.update((byte) ',');
                }
                d.update((byte) '}');
            }
            case ARRAY -> {
                d.update((byte) '[');
                for (JsonNode item : n) {
                    digest(item, d);
                    d.update((byte) ',');
                }
                d.update((byte) ']');
            }
            case STRING -> update(d, n.textValue());
            case NULL -> d.update((byte) 'n');
            default -> { // numbers and booleans: their JSON text, tagged so 1 and "1" differ
                d.update((byte) '#');
                d.update(n.asText().getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** A string as a length-prefixed UTF-8 value: unambiguous without escaping. */
    private static void update(MessageDigest d, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        d.update((byte) '"');
        d.update((byte) (b.length >>> 24)); // the length, big-endian
        d.update((byte) (b.length >>> 16));
        d.update((byte) (b.length >>> 8));
        d.update((byte) b.length);
        d.update(b);
    }

    private static String truncate(String s) {
        return s.length() > 60 ? s.substring(0, 60) + "..." : s;
    }
}
