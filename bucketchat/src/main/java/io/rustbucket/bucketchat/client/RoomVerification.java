package io.rustbucket.bucketchat.client;

import io.rustbucket.bucketchat.storage.Malformed;
import java.util.List;
import java.util.Map;

/**
 * What a read of a room proves: per event its signature status and authenticity, per sender the state of its
 * chain, the lines and files that are not valid, duplicate events, and the state the authentic events resolve to.
 *
 * @param timeline every distinct event in {@code (timestamp_ms, event_id)} order
 */
public record RoomVerification(
        String roomId,
        int files,
        List<VerifiedEvent> timeline,
        Map<String, VerifiedEvent> byId,
        Map<String, Chain> chains,
        List<Malformed> malformed,
        List<Duplicate> duplicates,
        RoomState state) {

    /** One sender's chain report. */
    public record Chain(ChainStatus status, List<String> at) {}

    /**
     * An event id seen more than once. Identical copies (a duplicated file) are harmless and reported;
     * {@code conflicting} copies differ in content or signature and are a problem.
     */
    public record Duplicate(String eventId, List<String> files, boolean conflicting) {}

    /** True when every event is validly signed, every chain intact, and nothing is malformed or conflicting. */
    public boolean clean() {
        return timeline.stream().allMatch(e -> e.signature() == SignatureStatus.VALID)
                && chains.values().stream().allMatch(c -> c.status() == ChainStatus.INTACT)
                && malformed.isEmpty()
                && duplicates.stream().noneMatch(Duplicate::conflicting);
    }

    /** Ids of the events with a signature status, in timeline order. */
    public List<String> withStatus(SignatureStatus status) {
        return timeline.stream()
                .filter(e -> e.signature() == status)
                .map(VerifiedEvent::eventId)
                .toList();
    }

    public SignatureStatus signature(String eventId) {
        VerifiedEvent e = byId.get(eventId);
        return e == null ? null : e.signature();
    }

    public boolean isAuthentic(String eventId) {
        VerifiedEvent e = byId.get(eventId);
        return e != null && e.authentic();
    }
}
