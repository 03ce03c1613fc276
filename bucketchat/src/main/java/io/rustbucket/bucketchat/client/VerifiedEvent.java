package io.rustbucket.bucketchat.client;

import io.rustbucket.bucketchat.event.ChatEvent;

/**
 * One distinct event of a room after verification: what chains, state and reports need, without its JSON, so
 * rooms of millions of events verify in bounded memory. {@code authentic} is set by the chain walk.
 */
public final class VerifiedEvent {
    private final String eventId;
    private final String senderId;
    private final long timestampMs;
    private final String type;
    private final Digest hash;
    private final Digest prev;
    private final boolean hasPrev;
    private final SignatureStatus signature;
    private final long signatureFingerprint;
    private final String file;
    private final int line;
    private final EventFacts facts;
    private boolean authentic;

    VerifiedEvent(
            ChatEvent e,
            Digest hash,
            SignatureStatus signature,
            String file,
            int line,
            java.util.function.UnaryOperator<String> intern) {
        this.eventId = e.eventId();
        this.senderId = intern.apply(e.senderId());
        this.timestampMs = e.timestampMs();
        this.type = intern.apply(e.type());
        this.hash = hash;
        this.hasPrev = e.prevEventHash() != null;
        this.prev = hasPrev ? Digest.parse(e.prevEventHash()) : null;
        this.signature = signature;
        this.signatureFingerprint =
                e.signature().hashCode() * 31L + e.signature().length();
        this.file = file;
        this.line = line;
        this.facts = EventFacts.of(e);
    }

    public String eventId() {
        return eventId;
    }

    public String senderId() {
        return senderId;
    }

    public long timestampMs() {
        return timestampMs;
    }

    public String type() {
        return type;
    }

    public Digest hash() {
        return hash;
    }

    /** The previous hash this event names; null when it names none, or one that is not a SHA-256 value. */
    public Digest prev() {
        return prev;
    }

    /** Whether {@code prev_event_hash} was non-null (it may still be unparseable: then {@link #prev()} is null). */
    public boolean hasPrev() {
        return hasPrev;
    }

    public SignatureStatus signature() {
        return signature;
    }

    long signatureFingerprint() {
        return signatureFingerprint;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public EventFacts facts() {
        return facts;
    }

    /** The message body for messages, else empty. */
    public String body() {
        return facts instanceof EventFacts.Message m ? m.body() : "";
    }

    public boolean authentic() {
        return authentic;
    }

    void markAuthentic() {
        authentic = true;
    }

    void markNotAuthentic() {
        authentic = false;
    }
}
