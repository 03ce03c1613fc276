package io.rustbucket.bucketchat.client;

import io.rustbucket.bucketchat.crypto.Ed25519;
import io.rustbucket.bucketchat.event.ChatEvent;
import io.rustbucket.bucketchat.storage.LogReader;
import io.rustbucket.bucketchat.storage.LoggedEvent;
import io.rustbucket.bucketchat.storage.Malformed;
import java.util.ArrayList;
import java.util.Arrays;
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
        Map<String, byte[]> canonicalById = new HashMap<>();
        Map<String, List<String>> seenIn = new LinkedHashMap<>();
        Set<String> conflicting = new HashSet<>();
        for (LogReader.FileContent f : files) {
            malformed.addAll(f.malformed());
            for (LoggedEvent le : f.events()) {
                ChatEvent e = le.event();
                if (!e.roomId().equals(roomId)) {
                    continue; // reported as malformed by the reader
                }
                byte[] canonical = e.canonical();
                seenIn.computeIfAbsent(e.eventId(), k -> new ArrayList<>()).add(f.key());
                LoggedEvent first = byId.putIfAbsent(e.eventId(), le);
                if (first == null) {
                    canonicalById.put(e.eventId(), canonical);
                } else if (!Arrays.equals(canonicalById.get(e.eventId()), canonical)
                        || !first.event().signature().equals(e.signature())) {
                    conflicting.add(e.eventId());
                }
            }
        }
        List<RoomVerification.Duplicate> duplicates = new ArrayList<>();
        seenIn.forEach((id, in) -> {
            if (in.size() > 1) {
                duplicates.add(new RoomVerification.Duplicate(id, in, conflicting.contains(id)));
            }
        });

        Map<String, byte[]> keys = new HashMap<>();
        publicKeys.forEach((sender, k) -> Ed25519.decodePublicKey(k).ifPresent(raw -> keys.put(sender, raw)));
        Map<String, SignatureStatus> signatures = new HashMap<>();
        Map<String, String> hashes = new HashMap<>();
        Map<String, List<ChatEvent>> bySender = new TreeMap<>();
        for (LoggedEvent le : byId.values()) {
            ChatEvent e = le.event();
            byte[] canonical = canonicalById.get(e.eventId());
            byte[] key = keys.get(e.senderId());
            SignatureStatus s = key == null
                    ? SignatureStatus.UNVERIFIED
                    : Ed25519.verify(key, canonical, e.signature())
                            ? SignatureStatus.VALID
                            : SignatureStatus.INVALID_SIGNATURE;
            signatures.put(e.eventId(), s);
            hashes.put(e.eventId(), sha256(canonical));
            bySender.computeIfAbsent(e.senderId(), k -> new ArrayList<>()).add(e);
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

    static String sha256(byte[] bytes) {
        try {
            return java.util.Base64.getEncoder()
                    .encodeToString(
                            java.security.MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
