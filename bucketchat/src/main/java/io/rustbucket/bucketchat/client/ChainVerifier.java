package io.rustbucket.bucketchat.client;

import io.rustbucket.bucketchat.event.ChatEvent;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Follows one sender's hash links (not timestamps) and names the first problem of each kind; also says which of
 * the sender's events are authentic: validly signed and reached from the chain's start before any break.
 */
final class ChainVerifier {
    /** The report for one sender plus the ids of its authentic events. */
    record Result(ChainStatus status, List<String> at, Set<String> authentic) {}

    private static final String NULL = "\u0000null";
    private static final Comparator<ChatEvent> ORDER =
            Comparator.comparingLong(ChatEvent::timestampMs).thenComparing(ChatEvent::eventId);

    private ChainVerifier() {}

    static Result verify(List<ChatEvent> events, Map<String, String> hashes, Map<String, SignatureStatus> signatures) {
        Map<String, ChatEvent> byHash = new HashMap<>();
        Map<String, List<ChatEvent>> children = new HashMap<>();
        for (ChatEvent e : events) {
            byHash.put(hashes.get(e.eventId()), e);
            children.computeIfAbsent(e.prevEventHash() == null ? NULL : e.prevEventHash(), k -> new ArrayList<>())
                    .add(e);
        }
        Map<ChainStatus, List<String>> problems = new HashMap<>();
        for (List<ChatEvent> siblings : children.values()) {
            if (siblings.size() > 1) {
                siblings.sort(ORDER);
                problems.computeIfAbsent(ChainStatus.FORK, k -> new ArrayList<>())
                        .addAll(ids(siblings));
            }
        }
        List<ChatEvent> starts = children.getOrDefault(NULL, List.of());
        List<ChatEvent> dangling = events.stream()
                .filter(e -> e.prevEventHash() != null && !byHash.containsKey(e.prevEventHash()))
                .sorted(ORDER)
                .toList();
        if (starts.isEmpty() && !events.isEmpty()) {
            problems.put(
                    ChainStatus.BAD_FIRST,
                    List.of((dangling.isEmpty() ? events.stream().sorted(ORDER).toList() : dangling)
                            .getFirst()
                            .eventId()));
        }
        for (ChatEvent d : dangling) {
            if (!starts.isEmpty() || !d.equals(dangling.getFirst())) {
                ChatEvent altered = alteredPredecessor(d, events, hashes, signatures, children);
                if (altered != null) {
                    problems.computeIfAbsent(ChainStatus.BROKEN_LINK, k -> new ArrayList<>())
                            .addAll(List.of(altered.eventId(), d.eventId()));
                } else {
                    problems.computeIfAbsent(ChainStatus.GAP, k -> new ArrayList<>())
                            .add(d.eventId());
                }
            }
        }
        ChainStatus status = ChainStatus.INTACT;
        for (ChainStatus s : ChainStatus.values()) {
            if (problems.containsKey(s)) {
                status = s;
                break;
            }
        }
        return new Result(
                status,
                status == ChainStatus.INTACT ? List.of() : problems.get(status),
                authentic(starts, children, hashes, signatures));
    }

    /**
     * The event a dangling link most likely pointed at before it was altered: one of the sender's events, not
     * before the dangling one, whose signature fails and which nothing links to.
     */
    private static ChatEvent alteredPredecessor(
            ChatEvent dangling,
            List<ChatEvent> events,
            Map<String, String> hashes,
            Map<String, SignatureStatus> signatures,
            Map<String, List<ChatEvent>> children) {
        return events.stream()
                .filter(e -> signatures.get(e.eventId()) == SignatureStatus.INVALID_SIGNATURE)
                .filter(e -> !children.containsKey(hashes.get(e.eventId())))
                .filter(e -> ORDER.compare(e, dangling) <= 0)
                .max(ORDER)
                .orElse(null);
    }

    /** Walks from the single start while each step has exactly one validly signed successor. */
    private static Set<String> authentic(
            List<ChatEvent> starts,
            Map<String, List<ChatEvent>> children,
            Map<String, String> hashes,
            Map<String, SignatureStatus> signatures) {
        Set<String> ok = new HashSet<>();
        if (starts.size() != 1) {
            return ok;
        }
        ChatEvent e = starts.getFirst();
        while (e != null && signatures.get(e.eventId()) == SignatureStatus.VALID && ok.add(e.eventId())) {
            List<ChatEvent> next = children.getOrDefault(hashes.get(e.eventId()), List.of());
            e = next.size() == 1 ? next.getFirst() : null;
        }
        return ok;
    }

    private static List<String> ids(List<ChatEvent> events) {
        return events.stream().map(ChatEvent::eventId).toList();
    }
}
