package io.rustbucket.bucketchat.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * A room's metadata: the four keys of the published spec ({@code room_id, created_at, version, protocol}) and
 * the extensions name, description and members with their public keys and roles.
 */
public record RoomMetadata(
        String roomId, long createdAt, String name, String description, Map<String, Member> members, int revision) {
    public static final String VERSION = "1.0";
    public static final String PROTOCOL = "bucket-chat-v1";

    /** A member's public key (base64, raw 32 bytes) and role ({@code admin} or {@code member}). */
    public record Member(String publicKey, String role) {}

    public RoomMetadata {
        members = Map.copyOf(new TreeMap<>(members));
        name = name == null ? "" : name;
        description = description == null ? "" : description;
    }

    public Set<String> admins() {
        return members.entrySet().stream()
                .filter(e -> "admin".equals(e.getValue().role()))
                .map(Map.Entry::getKey)
                .collect(Collectors.toSet());
    }

    /** Public keys by sender, for verification. */
    public Map<String, String> publicKeys() {
        return members.entrySet().stream()
                .collect(Collectors.toMap(Map.Entry::getKey, e -> e.getValue().publicKey()));
    }

    public RoomMetadata withMember(String senderId, Member m, int newRevision) {
        Map<String, Member> all = new TreeMap<>(members);
        all.put(senderId, m);
        return new RoomMetadata(roomId, createdAt, name, description, all, newRevision);
    }

    public ObjectNode toJson() {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("room_id", roomId);
        o.put("created_at", createdAt);
        o.put("version", VERSION);
        o.put("protocol", PROTOCOL);
        o.put("name", name);
        o.put("description", description);
        ObjectNode m = o.putObject("members");
        members.forEach((id, member) ->
                m.putObject(id).put("public_key", member.publicKey()).put("role", member.role()));
        return o;
    }

    /** Reads metadata; only the four spec keys are required, members are optional. */
    public static RoomMetadata fromJson(JsonNode o, int revision) {
        if (!o.path("room_id").isTextual()) {
            throw new IllegalArgumentException("metadata without room_id");
        }
        Map<String, Member> members = new TreeMap<>();
        o.path("members")
                .properties()
                .forEach(e -> members.put(
                        e.getKey(),
                        new Member(
                                e.getValue().path("public_key").asText(""),
                                e.getValue().path("role").asText("member"))));
        return new RoomMetadata(
                o.path("room_id").asText(),
                o.path("created_at").asLong(0),
                o.path("name").asText(""),
                o.path("description").asText(""),
                members,
                revision);
    }
}
