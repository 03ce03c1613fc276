package io.rustbucket.bucketchat.event;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rustbucket.bucketchat.canonical.CanonicalJson;
import io.rustbucket.bucketchat.canonical.NonCanonicalException;
import java.io.IOException;
import java.util.Set;

/**
 * Parses one line of a room log strictly: exactly the nine keys, the right JSON types, no floats, no duplicate
 * keys (an ambiguous line could verify differently in another client), bounded depth and size.
 */
public final class EventParser {
    /** Longest line accepted; a bigger one is reported as malformed, never buffered further. */
    public static final int MAX_LINE_CHARS = 1024 * 1024;

    static final Set<String> KEYS = Set.of(
            "event_id",
            "room_id",
            "timestamp_ms",
            "sender_id",
            "type",
            "parent_event_id",
            "prev_event_hash",
            "signature",
            "content");

    private static final ObjectMapper STRICT = JsonMapper.builder()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .build();

    static {
        STRICT.getFactory()
                .setStreamReadConstraints(StreamReadConstraints.builder()
                        .maxNestingDepth(64)
                        .maxStringLength(MAX_LINE_CHARS)
                        .maxNumberLength(40)
                        .build());
    }

    /** An event, or why the line is not one. */
    public record Result(ChatEvent event, String error) {
        public boolean ok() {
            return event != null;
        }
    }

    private EventParser() {}

    public static Result parse(String line) {
        if (line.length() > MAX_LINE_CHARS) {
            return fail("line longer than " + MAX_LINE_CHARS + " characters");
        }
        JsonNode n;
        try {
            n = STRICT.readTree(line);
        } catch (IOException e) {
            String m = e.getMessage() == null
                    ? ""
                    : e.getMessage().lines().findFirst().orElse("");
            return fail("not valid JSON: " + m);
        }
        if (!(n instanceof ObjectNode o)) {
            return fail("not a JSON object");
        }
        for (String key : KEYS) {
            if (!o.has(key)) {
                return fail("missing key " + key);
            }
        }
        var names = o.fieldNames();
        while (names.hasNext()) {
            String k = names.next();
            if (!KEYS.contains(k)) {
                return fail("unexpected key " + k);
            }
        }
        for (String key : new String[] {"event_id", "room_id", "sender_id", "type", "signature"}) {
            if (!o.get(key).isTextual()) {
                return fail(key + " is not a string");
            }
        }
        for (String key : new String[] {"parent_event_id", "prev_event_hash"}) {
            if (!o.get(key).isTextual() && !o.get(key).isNull()) {
                return fail(key + " is neither a string nor null");
            }
        }
        JsonNode ts = o.get("timestamp_ms");
        if (!ts.isIntegralNumber() || !ts.canConvertToLong()) {
            return fail(ts.isFloatingPointNumber() ? "float timestamp_ms" : "timestamp_ms is not an integer");
        }
        if (!(o.get("content") instanceof ObjectNode content)) {
            return fail("content is not an object");
        }
        try {
            CanonicalJson.bytes(content); // floats anywhere inside are flagged here
        } catch (NonCanonicalException e) {
            return fail(e.getMessage().replaceFirst("^float at ", "float at content."));
        }
        String eventId = o.get("event_id").textValue();
        String roomId = o.get("room_id").textValue();
        if (!eventId.startsWith(roomId + "::")) {
            return fail("event_id does not start with room_id::");
        }
        return new Result(
                new ChatEvent(
                        eventId,
                        roomId,
                        ts.longValue(),
                        o.get("sender_id").textValue(),
                        o.get("type").textValue(),
                        o.get("parent_event_id").isNull()
                                ? null
                                : o.get("parent_event_id").textValue(),
                        o.get("prev_event_hash").isNull()
                                ? null
                                : o.get("prev_event_hash").textValue(),
                        o.get("signature").textValue(),
                        content),
                null);
    }

    private static Result fail(String reason) {
        return new Result(null, reason);
    }
}
