package io.rustbucket.bucketchat.event;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rustbucket.bucketchat.canonical.CanonicalJson;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * One Bucket Chat event, with exactly the nine keys of the protocol. {@code content} is kept as a JSON tree so
 * that re-serialising it reproduces the signed bytes exactly.
 */
public record ChatEvent(
        String eventId,
        String roomId,
        long timestampMs,
        String senderId,
        String type,
        String parentEventId,
        String prevEventHash,
        String signature,
        ObjectNode content) {

    public ChatEvent {
        content = content == null ? JsonNodeFactory.instance.objectNode() : content;
    }

    /** The event as a JSON object; without the signature it is exactly what is signed and hashed. */
    public ObjectNode toJson(boolean withSignature) {
        ObjectNode o = JsonNodeFactory.instance.objectNode();
        o.put("event_id", eventId);
        o.put("room_id", roomId);
        o.put("timestamp_ms", timestampMs);
        o.put("sender_id", senderId);
        o.put("type", type);
        o.put("parent_event_id", parentEventId);
        o.put("prev_event_hash", prevEventHash);
        if (withSignature) {
            o.put("signature", signature);
        }
        o.set("content", content);
        return o;
    }

    /** {@code canonical(e)}: the event without its signature, canonically serialised. */
    public byte[] canonical() {
        return CanonicalJson.bytes(toJson(false));
    }

    /** {@code hash(e)}: standard base64 (padded) of SHA-256 over the canonical bytes; the signature is not part of it. */
    public String hash() {
        return hashOf(canonical());
    }

    /** The hash of canonical bytes already computed (so signing and hashing serialise once). */
    public static String hashOf(byte[] canonical) {
        try {
            return Base64.getEncoder()
                    .encodeToString(MessageDigest.getInstance("SHA-256").digest(canonical));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The compact JSON line written to the bucket (raw UTF-8, key order irrelevant). */
    public String toLine() {
        return toJson(true).toString();
    }

    public ChatEvent withSignature(String sig) {
        return new ChatEvent(eventId, roomId, timestampMs, senderId, type, parentEventId, prevEventHash, sig, content);
    }

    /** The text field of a content, or empty when absent. */
    public String text(String field) {
        return content.path(field).isTextual() ? content.path(field).textValue() : "";
    }
}
