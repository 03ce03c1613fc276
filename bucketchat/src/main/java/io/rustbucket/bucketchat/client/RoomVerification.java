package io.rustbucket.bucketchat.client;

import io.rustbucket.bucketchat.storage.LoggedEvent;
import io.rustbucket.bucketchat.storage.Malformed;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What a read of a room proves: per event its signature status, per sender the state of its chain, the lines
 * and files that are not valid, duplicate events, the authentic events and the state they resolve to.
 *
 * @param timeline every distinct event in {@code (timestamp_ms, event_id)} order
 */
public record RoomVerification(
        String roomId,
        int files,
        List<LoggedEvent> timeline,
        Map<String, SignatureStatus> signatures,
        Map<String, Chain> chains,
        List<Malformed> malformed,
        List<Duplicate> duplicates,
        Set<String> authentic,
        RoomState state) {

    /** One sender's chain report. */
    public record Chain(ChainStatus status, List<String> at) {}

    /**
     * An event id seen more than once. Identical copies (a duplicated file) are harmless and reported;
     * {@code conflicting} copies differ in content and are a problem.
     */
    public record Duplicate(String eventId, List<String> files, boolean conflicting) {}

    /** True when every event is validly signed, every chain intact, and nothing is malformed or conflicting. */
    public boolean clean() {
        return signatures.values().stream().allMatch(s -> s == SignatureStatus.VALID)
                && chains.values().stream().allMatch(c -> c.status() == ChainStatus.INTACT)
                && malformed.isEmpty()
                && duplicates.stream().noneMatch(Duplicate::conflicting);
    }

    public List<String> withStatus(SignatureStatus status) {
        return timeline.stream()
                .map(l -> l.event().eventId())
                .filter(id -> signatures.get(id) == status)
                .toList();
    }
}
