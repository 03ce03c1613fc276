package io.rustbucket.bucketchat.crypto;

import io.rustbucket.bucketchat.event.ChatEvent;

/** Signs events with one sender's key: {@code signature = base64(Ed25519(canonical(e)))}. */
public final class EventSigner {
    private final String senderId;
    private final Ed25519.Keys keys;

    public EventSigner(String senderId, Ed25519.Keys keys) {
        this.senderId = senderId;
        this.keys = keys;
    }

    public ChatEvent sign(ChatEvent unsigned) {
        if (!unsigned.senderId().equals(senderId)) {
            throw new IllegalArgumentException("cannot sign an event of " + unsigned.senderId() + " as " + senderId);
        }
        return unsigned.withSignature(Ed25519.sign(keys.seed(), unsigned.canonical()));
    }

    public String senderId() {
        return senderId;
    }

    public Ed25519.Keys keys() {
        return keys;
    }
}
