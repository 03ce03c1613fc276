package io.rustbucket.bucketchat.client;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Follows one sender's hash links (not timestamps), names the worst problem with its event ids, and marks the
 * sender's authentic events: validly signed and reached from the chain's single start before any break.
 */
final class ChainVerifier {
    /** The report for one sender. */
    record Result(ChainStatus status, List<String> at) {}

    static final Comparator<VerifiedEvent> ORDER =
            Comparator.comparingLong(VerifiedEvent::timestampMs).thenComparing(VerifiedEvent::eventId);

    private ChainVerifier() {}

    static Result verify(List<VerifiedEvent> events) {
        Map<Digest, VerifiedEvent> byHash = new HashMap<>(events.size() * 2);
        // The one successor of each event, and (rarely) every event that shares a predecessor: a fork.
        Map<Digest, VerifiedEvent> next = new HashMap<>(events.size() * 2);
        Map<Digest, List<VerifiedEvent>> forks = new LinkedHashMap<>();
        List<VerifiedEvent> starts = new ArrayList<>();
        for (VerifiedEvent e : events) {
            byHash.put(e.hash(), e);
        }
        List<VerifiedEvent> dangling = new ArrayList<>();
        for (VerifiedEvent e : events) {
            if (!e.hasPrev()) {
                starts.add(e);
            } else if (e.prev() == null || !byHash.containsKey(e.prev())) {
                dangling.add(e);
            } else {
                VerifiedEvent other = next.putIfAbsent(e.prev(), e);
                if (other != null) {
                    forks.computeIfAbsent(e.prev(), k -> new ArrayList<>(List.of(other)))
                            .add(e);
                }
            }
        }
        Map<ChainStatus, List<String>> problems = new HashMap<>();
        if (starts.size() > 1) {
            problems.put(ChainStatus.FORK, ids(sorted(starts)));
        }
        for (List<VerifiedEvent> siblings : forks.values()) {
            problems.computeIfAbsent(ChainStatus.FORK, k -> new ArrayList<>()).addAll(ids(sorted(siblings)));
        }
        dangling.sort(ORDER);
        if (starts.isEmpty() && !events.isEmpty()) {
            problems.put(
                    ChainStatus.BAD_FIRST,
                    List.of((dangling.isEmpty() ? sorted(events) : dangling)
                            .getFirst()
                            .eventId()));
        }
        for (VerifiedEvent d : dangling) {
            if (starts.isEmpty() && d == dangling.getFirst()) {
                continue; // already named as the bad first event
            }
            VerifiedEvent altered = alteredPredecessor(d, events, next);
            if (altered != null) {
                problems.computeIfAbsent(ChainStatus.BROKEN_LINK, k -> new ArrayList<>())
                        .addAll(List.of(altered.eventId(), d.eventId()));
            } else {
                problems.computeIfAbsent(ChainStatus.GAP, k -> new ArrayList<>())
                        .add(d.eventId());
            }
        }
        markAuthentic(starts, next, forks);
        for (ChainStatus s : ChainStatus.values()) {
            if (problems.containsKey(s)) {
                return new Result(s, List.copyOf(problems.get(s)));
            }
        }
        return new Result(ChainStatus.INTACT, List.of());
    }

    /**
     * The event a dangling link most likely pointed at before it was altered: one of the sender's events, not
     * after the dangling one, whose signature fails and which nothing links to.
     */
    private static VerifiedEvent alteredPredecessor(
            VerifiedEvent dangling, List<VerifiedEvent> events, Map<Digest, VerifiedEvent> next) {
        VerifiedEvent best = null;
        for (VerifiedEvent e : events) {
            if (e.signature() == SignatureStatus.INVALID_SIGNATURE
                    && !next.containsKey(e.hash())
                    && ORDER.compare(e, dangling) <= 0
                    && (best == null || ORDER.compare(e, best) > 0)) {
                best = e;
            }
        }
        return best;
    }

    /** Walks from the single start while each step is validly signed and has exactly one successor. */
    private static void markAuthentic(
            List<VerifiedEvent> starts, Map<Digest, VerifiedEvent> next, Map<Digest, List<VerifiedEvent>> forks) {
        if (starts.size() != 1) {
            return;
        }
        VerifiedEvent e = starts.getFirst();
        int guard = next.size() + 1;
        while (e != null && e.signature() == SignatureStatus.VALID && guard-- > 0) {
            e.markAuthentic();
            e = forks.containsKey(e.hash()) ? null : next.get(e.hash());
        }
    }

    private static List<VerifiedEvent> sorted(List<VerifiedEvent> events) {
        List<VerifiedEvent> s = new ArrayList<>(events);
        s.sort(ORDER);
        return s;
    }

    private static List<String> ids(List<VerifiedEvent> events) {
        return events.stream().map(VerifiedEvent::eventId).toList();
    }
}
