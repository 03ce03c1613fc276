package io.rustbucket.bucketchat.client;

import io.rustbucket.bucketchat.crypto.Ed25519;
import io.rustbucket.bucketchat.event.ChatEvent;
import io.rustbucket.bucketchat.storage.LogReader;
import io.rustbucket.bucketchat.storage.LoggedEvent;
import io.rustbucket.bucketchat.storage.Malformed;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** Verifies the files of a room: deduplicates, checks every signature and chain, resolves authentic state. */
public final class RoomVerifier {
    private static final Comparator<LoggedEvent> ORDER = Comparator.comparing(LoggedEvent::event, StateResolver.ORDER);

    private RoomVerifier() {}

    /**
     * @param publicKeys base64 raw keys by sender (metadata members and/or a key file)
     * @param admins senders whose redactions apply to others' events
     */
    public static RoomVerification verify(
            String roomId, List<LogReader.FileContent> files, Map<String, String> publicKeys, Set<String> admins) {
        List<Malformed> malformed = new ArrayList<>();
        Map<String, LoggedEvent> byId = new LinkedHashMap<>();
        Map<String, List<LoggedEvent>> copies = new LinkedHashMap<>();
        for (LogReader.FileContent f : files) {
            malformed.addAll(f.malformed());
            for (LoggedEvent le : f.events()) {
                if (!le.event().roomId().equals(roomId)) {
                    continue; // reported as malformed by the reader
                }
                if (byId.putIfAbsent(le.event().eventId(), le) != null) {
                    copies.computeIfAbsent(le.event().eventId(), k -> new ArrayList<>())
                            .add(le);
                }
            }
        }

        // Hash and signature of every distinct event, on all cores: Ed25519 verification is the dominant cost.
        Map<String, Ed25519.VerifyingKey> keys = new HashMap<>();
        publicKeys.forEach((sender, k) -> Ed25519.decodePublicKey(k).ifPresent(raw -> {
            try {
                keys.put(sender, new Ed25519.VerifyingKey(raw));
            } catch (IllegalArgumentException notAPoint) {
                // a published key that is not a curve point verifies nothing: the sender stays unverified
            }
        }));
        Map<String, Checked> checked = byId.values().parallelStream()
                .collect(java.util.stream.Collectors.toConcurrentMap(
                        le -> le.event().eventId(), le -> check(le.event(), keys)));
        Map<String, SignatureStatus> signatures = new HashMap<>();
        Map<String, String> hashes = new HashMap<>();
        checked.forEach((id, c) -> {
            signatures.put(id, c.status());
            hashes.put(id, c.hash());
        });

        // The same event id again: a harmless copy when the signed bytes and signature are equal, else a conflict.
        Set<String> conflicting = new HashSet<>();
        List<RoomVerification.Duplicate> duplicates = new ArrayList<>();
        copies.forEach((id, again) -> {
            LoggedEvent first = byId.get(id);
            List<String> in = new ArrayList<>(List.of(first.file()));
            for (LoggedEvent le : again) {
                in.add(le.file());
                if (!le.event().hash().equals(hashes.get(id))
                        || !le.event().signature().equals(first.event().signature())) {
                    conflicting.add(id);
                }
            }
            duplicates.add(new RoomVerification.Duplicate(id, in, conflicting.contains(id)));
        });

        Map<String, List<ChatEvent>> bySender = new TreeMap<>();
        for (LoggedEvent le : byId.values()) {
            bySender.computeIfAbsent(le.event().senderId(), k -> new ArrayList<>())
                    .add(le.event());
        }

        Map<String, RoomVerification.Chain> chains = new TreeMap<>();
        Set<String> authentic = new HashSet<>();
        bySender.forEach((sender, events) -> {
            ChainVerifier.Result r = ChainVerifier.verify(events, hashes, signatures);
            chains.put(sender, new RoomVerification.Chain(r.status(), r.at()));
            authentic.addAll(r.authentic());
        });
        conflicting.forEach(authentic::remove);

        List<LoggedEvent> timeline = new ArrayList<>(byId.values());
        timeline.sort(ORDER);
        List<ChatEvent> authenticEvents = timeline.stream()
                .map(LoggedEvent::event)
                .filter(e -> authentic.contains(e.eventId()))
                .toList();
        return new RoomVerification(
                roomId,
                files.size(),
                timeline,
                signatures,
                chains,
                malformed,
                duplicates,
                authentic,
                StateResolver.resolve(authenticEvents, admins));
    }

    private record Checked(String hash, SignatureStatus status) {}

    private static Checked check(ChatEvent e, Map<String, Ed25519.VerifyingKey> keys) {
        byte[] canonical = e.canonical();
        Ed25519.VerifyingKey key = keys.get(e.senderId());
        SignatureStatus s = key == null
                ? SignatureStatus.UNVERIFIED
                : key.verify(canonical, e.signature()) ? SignatureStatus.VALID : SignatureStatus.INVALID_SIGNATURE;
        return new Checked(ChatEvent.hashOf(canonical), s);
    }
}
