package io.rustbucket.bucketchat.client;

import io.rustbucket.bucketchat.crypto.Ed25519;
import io.rustbucket.bucketchat.event.ChatEvent;
import io.rustbucket.bucketchat.storage.LogReader;
import io.rustbucket.bucketchat.storage.LoggedEvent;
import io.rustbucket.bucketchat.storage.Malformed;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import java.util.stream.IntStream;

/**
 * Verifies a room from its files, streaming: each file is read, parsed, hashed and signature-checked on its own
 * (all cores, files in parallel) and reduced to {@link VerifiedEvent}s, so memory grows with the number of
 * events, not with their JSON. Then: duplicates, chains per sender, authentic events, state.
 */
public final class RoomVerifier {
    private RoomVerifier() {}

    private record FileResult(String key, List<VerifiedEvent> events, List<Malformed> malformed) {}

    /**
     * @param keys log file keys to read (the sync cursor)
     * @param publicKeys base64 raw keys by sender (metadata members and/or a key file)
     * @param admins senders whose redactions apply to others' events
     */
    public static RoomVerification verify(
            String roomId, List<String> keys, LogReader reader, Map<String, String> publicKeys, Set<String> admins) {
        Map<String, Ed25519.VerifyingKey> verifying = new HashMap<>();
        publicKeys.forEach((sender, k) -> Ed25519.decodePublicKey(k).ifPresent(raw -> {
            try {
                verifying.put(sender, new Ed25519.VerifyingKey(raw));
            } catch (IllegalArgumentException notAPoint) {
                // a published key that is not a curve point verifies nothing: the sender stays unverified
            }
        }));
        Map<String, String> strings = new ConcurrentHashMap<>();
        UnaryOperator<String> intern = s -> strings.computeIfAbsent(s, x -> x);
        List<FileResult> results = IntStream.range(0, keys.size())
                .parallel()
                .mapToObj(i -> check(roomId, reader.read(keys.get(i)), verifying, intern))
                .toList();

        List<Malformed> malformed = new ArrayList<>();
        Map<String, VerifiedEvent> byId = new LinkedHashMap<>();
        Map<String, List<String>> copies = new LinkedHashMap<>();
        Set<String> conflicting = new java.util.HashSet<>();
        for (FileResult f : results) {
            malformed.addAll(f.malformed());
            for (VerifiedEvent e : f.events()) {
                VerifiedEvent first = byId.putIfAbsent(e.eventId(), e);
                if (first != null) {
                    copies.computeIfAbsent(e.eventId(), k -> new ArrayList<>(List.of(first.file())))
                            .add(e.file());
                    if (!first.hash().equals(e.hash()) || first.signatureFingerprint() != e.signatureFingerprint()) {
                        conflicting.add(e.eventId());
                    }
                }
            }
        }
        List<RoomVerification.Duplicate> duplicates = new ArrayList<>();
        copies.forEach((id, in) -> duplicates.add(new RoomVerification.Duplicate(id, in, conflicting.contains(id))));

        Map<String, List<VerifiedEvent>> bySender = new TreeMap<>();
        for (VerifiedEvent e : byId.values()) {
            bySender.computeIfAbsent(e.senderId(), k -> new ArrayList<>()).add(e);
        }
        Map<String, RoomVerification.Chain> chains = new TreeMap<>();
        bySender.forEach((sender, events) -> {
            ChainVerifier.Result r = ChainVerifier.verify(events);
            chains.put(sender, new RoomVerification.Chain(r.status(), r.at()));
        });
        conflicting.forEach(id -> byId.get(id).markNotAuthentic());

        List<VerifiedEvent> timeline = new ArrayList<>(byId.values());
        timeline.sort(ChainVerifier.ORDER);
        List<VerifiedEvent> authentic =
                timeline.stream().filter(VerifiedEvent::authentic).toList();
        return new RoomVerification(
                roomId,
                keys.size(),
                timeline,
                byId,
                chains,
                malformed,
                duplicates,
                StateResolver.resolve(authentic, admins));
    }

    private static FileResult check(
            String roomId,
            LogReader.FileContent file,
            Map<String, Ed25519.VerifyingKey> keys,
            UnaryOperator<String> intern) {
        List<VerifiedEvent> events = new ArrayList<>(file.events().size());
        for (LoggedEvent le : file.events()) {
            ChatEvent e = le.event();
            if (!e.roomId().equals(roomId)) {
                continue; // reported as malformed by the reader
            }
            byte[] canonical = e.canonical();
            Ed25519.VerifyingKey key = keys.get(e.senderId());
            SignatureStatus s = key == null
                    ? SignatureStatus.UNVERIFIED
                    : key.verify(canonical, e.signature()) ? SignatureStatus.VALID : SignatureStatus.INVALID_SIGNATURE;
            events.add(new VerifiedEvent(e, Digest.of(sha256(canonical)), s, file.key(), le.line(), intern));
        }
        return new FileResult(file.key(), events, file.malformed());
    }

    private static byte[] sha256(byte[] bytes) {
        try {
            return java.security.MessageDigest.getInstance("SHA-256").digest(bytes);
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
