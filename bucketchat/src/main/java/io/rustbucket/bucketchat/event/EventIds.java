package io.rustbucket.bucketchat.event;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.UUID;

/** Event ids as this client writes them: {@code {room_id}::{yyyyMMdd'T'HHmmss.SSS'Z'}::{uuid4}}, in UTC. */
public final class EventIds {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private EventIds() {}

    public static String generate(String roomId, Instant at) {
        return roomId + "::" + TIME.format(at) + "::" + UUID.randomUUID();
    }

    /** Checks a room id: 1-128 characters, no "::" (it separates event id parts), none of / \ or control chars. */
    public static String validateRoomId(String roomId) {
        if (roomId == null || roomId.isEmpty() || roomId.length() > 128) {
            throw new IllegalArgumentException("room id must have 1-128 characters");
        }
        if (roomId.contains("::")) {
            throw new IllegalArgumentException("room id must not contain '::'");
        }
        if (roomId.equals(".")
                || roomId.equals("..")
                || roomId.chars().anyMatch(c -> c < 0x20 || c == '/' || c == '\\' || c == 0x7f)) {
            throw new IllegalArgumentException("room id must not contain '/', '\\' or control characters");
        }
        return roomId;
    }
}
