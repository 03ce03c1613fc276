package io.rustbucket.bucketchat.client;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rustbucket.bucketchat.canonical.CanonicalJson;
import io.rustbucket.bucketchat.crypto.Ed25519;
import io.rustbucket.bucketchat.crypto.EventSigner;
import io.rustbucket.bucketchat.storage.RoomLayout;
import io.rustbucket.core.store.ObjectExistsException;
import io.rustbucket.core.store.ObjectInfo;
import io.rustbucket.core.store.ObjectNotFoundException;
import io.rustbucket.core.store.ObjectStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Room metadata in an immutable bucket (EXT). {@code metadata.json} is written once, at creation, as a
 * convenience copy for clients that read only it. Changes are new objects {@code metadata/v{n}.json}, each signed
 * ({@code signed_by}, {@code signature} over the canonical bytes without {@code signature}). Version 1 is signed
 * by an admin it names itself; each later version must be signed by an admin of the version before it, or be a
 * self-enrolment: exactly one new member with role {@code member}, signed by that member's own key. The first
 * version that breaks these rules, and everything after it, is ignored and reported.
 */
public final class MetadataManager {
    /** The effective metadata and the versions that were refused. */
    public record Current(RoomMetadata metadata, List<String> refused) {}

    private final ObjectStore store;

    private static final String ROOMS = "rooms/";

    public MetadataManager(ObjectStore store) {
        this.store = store;
    }

    /** Creates a room: metadata.json and the signed v1, with the creator as its admin. */
    public RoomMetadata create(String roomId, String name, String description, EventSigner creator, long nowMs) {
        RoomMetadata meta = new RoomMetadata(
                roomId,
                nowMs,
                name,
                description,
                java.util.Map.of(
                        creator.senderId(),
                        new RoomMetadata.Member(creator.keys().publicKeyBase64(), "admin")),
                1);
        try {
            store.put(RoomLayout.metadataKey(roomId), meta.toJson().toString().getBytes(StandardCharsets.UTF_8));
        } catch (ObjectExistsException e) {
            throw new IllegalStateException("room " + roomId + " exists already");
        }
        writeVersion(meta, creator);
        return meta;
    }

    /** Adds the signer as a member through a self-enrolment version; no-op when already a member. */
    public RoomMetadata enroll(String roomId, EventSigner member) {
        for (int attempt = 0; attempt < 20; attempt++) {
            RoomMetadata current = read(roomId).metadata();
            if (current.members().containsKey(member.senderId())) {
                return current;
            }
            RoomMetadata next = current.withMember(
                    member.senderId(),
                    new RoomMetadata.Member(member.keys().publicKeyBase64(), "member"),
                    current.revision() + 1);
            try {
                writeVersion(next, member);
                return next;
            } catch (ObjectExistsException raced) {
                // someone else wrote this version number first: re-read and try again
            }
        }
        throw new IllegalStateException("could not enrol in " + roomId + ": metadata keeps changing");
    }

    /**
     * The ids of the rooms in the store, in key order, at most {@code limit}. One listing call per room: after a
     * room's first key the listing skips past everything under {@code rooms/{id}/}, so large logs cost nothing.
     */
    public List<String> listRooms(int limit) {
        List<String> rooms = new ArrayList<>();
        String after = null;
        while (rooms.size() < limit) {
            var page = store.list(ROOMS, after, 1);
            if (page.objects().isEmpty()) {
                break;
            }
            String key = page.objects().getFirst().key();
            int slash = key.indexOf('/', ROOMS.length());
            if (slash < 0) { // an object directly under rooms/, not a room
                after = key;
                continue;
            }
            String id = key.substring(ROOMS.length(), slash);
            if (store.stat(RoomLayout.metadataKey(id)).isPresent()) {
                rooms.add(id);
            }
            after = RoomLayout.roomPrefix(id) + "\uffff"; // above any key of this room (keys are ASCII)
        }
        return rooms;
    }

    /** Reads the effective metadata of a room. */
    public Current read(String roomId) {
        RoomMetadata base;
        try (var in = store.get(RoomLayout.metadataKey(roomId))) {
            base = RoomMetadata.fromJson(io.rustbucket.core.json.Json.mapper().readTree(in), 0);
        } catch (ObjectNotFoundException e) {
            throw new IllegalArgumentException("no room " + roomId + " in this store");
        } catch (IOException | IllegalArgumentException e) {
            throw new IllegalStateException("metadata.json of " + roomId + " is unreadable: " + e.getMessage());
        }
        List<String> refused = new ArrayList<>();
        RoomMetadata current = base;
        boolean signedChain = false;
        List<String> keys = store.listAll(RoomLayout.metadataVersionsPrefix(roomId))
                .map(ObjectInfo::key)
                .toList();
        for (int v = 1; v <= keys.size(); v++) {
            String key = RoomLayout.metadataVersionKey(roomId, v);
            Optional<RoomMetadata> next = readVersion(key, v, signedChain ? current : null);
            if (next.isEmpty()) {
                refused.add(key);
                break;
            }
            current = next.get();
            signedChain = true;
        }
        return new Current(current, refused);
    }

    private Optional<RoomMetadata> readVersion(String key, int v, RoomMetadata previous) {
        JsonNode o;
        try (var in = store.get(key)) {
            o = io.rustbucket.core.json.Json.mapper().readTree(in);
        } catch (ObjectNotFoundException | IOException e) {
            return Optional.empty();
        }
        if (!(o instanceof ObjectNode signed)
                || !o.path("signature").isTextual()
                || !o.path("signed_by").isTextual()) {
            return Optional.empty();
        }
        RoomMetadata meta;
        try {
            meta = RoomMetadata.fromJson(o, v);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        String signer = o.path("signed_by").asText();
        ObjectNode unsigned = signed.deepCopy();
        unsigned.remove("signature");
        byte[] canonical;
        try {
            canonical = CanonicalJson.bytes(unsigned);
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        // Whose key must have signed: for v1 an admin it declares; later, an admin of the previous version,
        // or (self-enrolment) the single new member.
        RoomMetadata.Member signerEntry;
        if (previous == null) {
            signerEntry = meta.admins().contains(signer) ? meta.members().get(signer) : null;
        } else if (previous.admins().contains(signer)) {
            signerEntry = previous.members().get(signer);
        } else if (isSelfEnrolment(previous, meta, signer)) {
            signerEntry = meta.members().get(signer);
        } else {
            signerEntry = null;
        }
        if (signerEntry == null) {
            return Optional.empty();
        }
        boolean ok = Ed25519.decodePublicKey(signerEntry.publicKey())
                .map(pk -> Ed25519.verify(pk, canonical, o.path("signature").asText()))
                .orElse(false);
        return ok ? Optional.of(meta) : Optional.empty();
    }

    private static boolean isSelfEnrolment(RoomMetadata previous, RoomMetadata next, String signer) {
        if (previous.members().containsKey(signer)
                || !"member"
                        .equals(next.members()
                                .getOrDefault(signer, new RoomMetadata.Member("", ""))
                                .role())) {
            return false;
        }
        var expected = previous.withMember(signer, next.members().get(signer), next.revision());
        return expected.members().equals(next.members())
                && expected.name().equals(next.name())
                && expected.description().equals(next.description());
    }

    private void writeVersion(RoomMetadata meta, EventSigner signer) {
        ObjectNode o = meta.toJson();
        o.put("revision", meta.revision());
        o.put("signed_by", signer.senderId());
        o.put("signature", Ed25519.sign(signer.keys().seed(), CanonicalJson.bytes(o)));
        store.put(
                RoomLayout.metadataVersionKey(meta.roomId(), meta.revision()),
                o.toString().getBytes(StandardCharsets.UTF_8));
    }
}
