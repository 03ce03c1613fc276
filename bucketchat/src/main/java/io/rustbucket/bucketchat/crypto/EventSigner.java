package io.rustbucket.bucketchat.crypto;

import io.rustbucket.bucketchat.event.ChatEvent;

/** Signs events with one sender's key: {@code signature = base64(Ed25519(canonical(e)))}. */
public final class EventSigner {
    private final String senderId;
    private final Ed25519.Keys keys;
    private final Ed25519.SigningKey signingKey;

    public EventSigner(String senderId, Ed25519.Keys keys) {
        this.senderId = senderId;
        this.keys = keys;
        this.signingKey = new Ed25519.SigningKey(keys.seed());
    }

    /** A signed event with its hash, both computed from one canonical serialisation. */
    public record Signed(ChatEvent event, String hash) {}

    public Signed signAndHash(ChatEvent unsigned) {
        if (!unsigned.senderId().equals(senderId)) {
            throw new IllegalArgumentException("cannot sign an event of " + unsigned.senderId() + " as " + senderId);
        }
        byte[] canonical = unsigned.canonical();
        return new Signed(unsigned.withSignature(signingKey.sign(canonical)), ChatEvent.hashOf(canonical));
    }

    public ChatEvent sign(ChatEvent unsigned) {
        return signAndHash(unsigned).event();
    }

    public String senderId() {
        return senderId;
    }

    public Ed25519.Keys keys() {
        return keys;
    }
}
