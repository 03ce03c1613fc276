package io.rustbucket.bucketchat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.rustbucket.bucketchat.client.BucketChatClient;
import io.rustbucket.bucketchat.client.ChainStatus;
import io.rustbucket.bucketchat.client.RoomState;
import io.rustbucket.bucketchat.client.RoomVerification;
import io.rustbucket.bucketchat.client.SignatureStatus;
import io.rustbucket.bucketchat.crypto.Ed25519;
import io.rustbucket.bucketchat.crypto.EventSigner;
import io.rustbucket.bucketchat.event.ChatEvent;
import io.rustbucket.bucketchat.storage.LogWriter;
import io.rustbucket.bucketchat.storage.RoomLayout;
import io.rustbucket.core.store.ObjectInfo;
import io.rustbucket.core.store.ObjectStore;
import io.rustbucket.core.testing.TestClock;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;

/** Bucket Chat behaviour on any object store; each backend's test supplies a fresh store. */
public interface RoomContract {
    ObjectStore store();

    EventSigner ALICE = new EventSigner("user:alice", Ed25519.fromSeed(seed(1)));
    EventSigner BOB = new EventSigner("bob@example.com", Ed25519.fromSeed(seed(2)));
    EventSigner CAROL = new EventSigner("user:carol", Ed25519.fromSeed(seed(3)));
    BucketChatClient.Options MANUAL = new BucketChatClient.Options(Duration.ofHours(1), 1000, 60);

    private static byte[] seed(int n) {
        byte[] s = new byte[32];
        Arrays.fill(s, (byte) n);
        return s;
    }

    private static TestClock clock() {
        return new TestClock(Instant.parse("2026-06-01T12:00:00Z"));
    }

    private static RoomVerification readFresh(ObjectStore store, String room, EventSigner as, TestClock clock) {
        try (BucketChatClient reader = BucketChatClient.open(store, room, as, clock, MANUAL)) {
            return reader.verify(Map.of());
        }
    }

    private static List<String> lines(ObjectStore store, String key) {
        return new ArrayList<>(
                new String(store.getBytes(key), StandardCharsets.UTF_8).lines().toList());
    }

    private static void replace(ObjectStore store, String key, List<String> lines) {
        store.delete(key);
        store.put(key, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static String onlyLogFile(ObjectStore store, String room) {
        List<String> keys =
                store.listAll(RoomLayout.logsPrefix(room)).map(ObjectInfo::key).toList();
        assertThat(keys).hasSize(1);
        return keys.getFirst();
    }

    /** Alice creates a room and writes n messages in one file; returns their ids. */
    private static List<String> aliceWrites(ObjectStore store, String room, TestClock clock, int n) {
        List<String> ids = new ArrayList<>();
        try (BucketChatClient alice = BucketChatClient.create(store, room, "Room", "", ALICE, clock, MANUAL)) {
            for (int i = 0; i < n; i++) {
                clock.advance(Duration.ofMillis(10));
                ids.add(alice.message("message " + i, null).eventId());
            }
        }
        return ids;
    }

    @Test
    default void twoSendersRoundTripAndVerifyClean() {
        ObjectStore store = store();
        TestClock clock = clock();
        String hello;
        try (BucketChatClient alice = BucketChatClient.create(store, "lobby", "Lobby", "hi", ALICE, clock, MANUAL)) {
            clock.advance(Duration.ofSeconds(1));
            hello = alice.message("hello 😀 é", null).eventId();
        }
        try (BucketChatClient bob = BucketChatClient.open(store, "lobby", BOB, clock, MANUAL)) {
            clock.advance(Duration.ofSeconds(1));
            bob.join();
            clock.advance(Duration.ofSeconds(1));
            bob.message("hi alice", hello);
        }
        RoomVerification v = readFresh(store, "lobby", CAROL, clock);
        assertThat(v.clean()).isTrue();
        assertThat(v.withStatus(SignatureStatus.VALID)).hasSize(4);
        assertThat(v.chains()).containsOnlyKeys("user:alice", "bob@example.com");
        assertThat(v.chains().values()).allMatch(c -> c.status() == ChainStatus.INTACT);
        assertThat(v.state().members()).containsEntry("user:alice", "join").containsEntry("bob@example.com", "join");
        assertThat(v.state().messages())
                .extracting(RoomState.VisibleMessage::body)
                .containsExactly("hello 😀 é", "hi alice");
        assertThat(v.state().messages().get(1).replyTo()).isEqualTo(hello);
        assertThat(store.listAll(RoomLayout.logsPrefix("lobby")).map(ObjectInfo::key))
                .allMatch(k -> k.startsWith("rooms/lobby/logs/2026-06-01/messages_"))
                .anyMatch(k -> k.endsWith("_bob.jsonl"))
                .anyMatch(k -> k.endsWith("_useralice.jsonl"));
    }

    @Test
    default void flushesInTheSameMillisecondGetDistinctFilesAndLoseNothing() throws Exception {
        ObjectStore store = store();
        TestClock clock = clock(); // never advances: every event and flush shares one millisecond
        BucketChatClient.create(store, "same-ms", "", "", ALICE, clock, MANUAL).close();
        try (BucketChatClient bob = BucketChatClient.open(store, "same-ms", BOB, clock, MANUAL)) {
            bob.join();
            bob.flush();
        }
        List<Callable<List<String>>> writers = new ArrayList<>();
        for (EventSigner s : List.of(ALICE, BOB)) {
            writers.add(() -> {
                List<String> keys = new ArrayList<>();
                try (BucketChatClient c = BucketChatClient.open(store, "same-ms", s, clock, MANUAL)) {
                    for (int i = 0; i < 5; i++) {
                        c.message(s.senderId() + " " + i, null);
                        keys.addAll(c.flush());
                    }
                }
                return keys;
            });
        }
        List<String> written = new ArrayList<>();
        try (var pool = Executors.newFixedThreadPool(2)) {
            for (var f : pool.invokeAll(writers)) {
                written.addAll(f.get());
            }
        }
        assertThat(written).hasSize(10).doesNotHaveDuplicates();
        assertThat(written).anyMatch(k -> k.endsWith("_4.jsonl"));
        RoomVerification v = readFresh(store, "same-ms", CAROL, clock);
        assertThat(v.state().messages()).hasSize(10);
        assertThat(v.clean()).isTrue();
    }

    @Test
    default void editedContentIsAnInvalidSignatureAndABrokenLink() {
        ObjectStore store = store();
        TestClock clock = clock();
        List<String> ids = aliceWrites(store, "t-edit", clock, 3);
        String key = onlyLogFile(store, "t-edit");
        List<String> lines = lines(store, key);
        lines.set(2, lines.get(2).replace("message 1", "message ONE"));
        replace(store, key, lines);
        RoomVerification v = readFresh(store, "t-edit", BOB, clock);
        assertThat(v.signature(ids.get(1))).isEqualTo(SignatureStatus.INVALID_SIGNATURE);
        assertThat(v.chains().get("user:alice").status()).isEqualTo(ChainStatus.BROKEN_LINK);
        assertThat(v.chains().get("user:alice").at()).containsExactly(ids.get(1), ids.get(2));
        assertThat(v.state().messages())
                .extracting(RoomState.VisibleMessage::body)
                .containsExactly("message 0");
        assertThat(v.clean()).isFalse();
    }

    @Test
    default void deletedLineIsAGap() {
        ObjectStore store = store();
        TestClock clock = clock();
        List<String> ids = aliceWrites(store, "t-del", clock, 3);
        String key = onlyLogFile(store, "t-del");
        List<String> lines = lines(store, key);
        lines.remove(2); // "message 1"
        replace(store, key, lines);
        RoomVerification v = readFresh(store, "t-del", BOB, clock);
        assertThat(v.chains().get("user:alice").status()).isEqualTo(ChainStatus.GAP);
        assertThat(v.chains().get("user:alice").at()).containsExactly(ids.get(2));
        assertThat(v.timeline()).allMatch(e -> e.signature() == SignatureStatus.VALID);
        assertThat(v.state().messages())
                .extracting(RoomState.VisibleMessage::body)
                .containsExactly("message 0");
    }

    @Test
    default void deletedFirstLineIsABadFirst() {
        ObjectStore store = store();
        TestClock clock = clock();
        aliceWrites(store, "t-first", clock, 2);
        String key = onlyLogFile(store, "t-first");
        List<String> lines = lines(store, key);
        lines.removeFirst(); // the join, alice's first event
        replace(store, key, lines);
        RoomVerification v = readFresh(store, "t-first", BOB, clock);
        assertThat(v.chains().get("user:alice").status()).isEqualTo(ChainStatus.BAD_FIRST);
        assertThat(v.state().messages()).isEmpty();
    }

    @Test
    default void forgedSignatureIsInvalidWhileTheChainStaysIntact() {
        ObjectStore store = store();
        TestClock clock = clock();
        List<String> ids = aliceWrites(store, "t-sig", clock, 2);
        String key = onlyLogFile(store, "t-sig");
        List<String> lines = lines(store, key);
        ChatEvent e =
                io.rustbucket.bucketchat.event.EventParser.parse(lines.get(2)).event();
        ChatEvent forged = e.withSignature(Ed25519.sign(CAROL.keys().seed(), e.canonical()));
        lines.set(2, forged.toLine());
        replace(store, key, lines);
        RoomVerification v = readFresh(store, "t-sig", BOB, clock);
        assertThat(v.signature(ids.get(1))).isEqualTo(SignatureStatus.INVALID_SIGNATURE);
        assertThat(v.chains().get("user:alice").status()).isEqualTo(ChainStatus.INTACT);
        assertThat(v.isAuthentic(ids.get(1))).isFalse();
    }

    @Test
    default void twoWritersWithOneKeyForkTheChain() {
        ObjectStore store = store();
        TestClock clock = clock();
        BucketChatClient.create(store, "t-fork", "", "", ALICE, clock, MANUAL).close();
        BucketChatClient a1 = BucketChatClient.open(store, "t-fork", ALICE, clock, MANUAL);
        BucketChatClient a2 = BucketChatClient.open(store, "t-fork", ALICE, clock, MANUAL);
        clock.advance(Duration.ofMillis(5));
        String x = a1.message("from device one", null).eventId();
        clock.advance(Duration.ofMillis(5));
        String y = a2.message("from device two", null).eventId();
        a1.close();
        a2.close();
        RoomVerification v = readFresh(store, "t-fork", BOB, clock);
        assertThat(v.chains().get("user:alice").status()).isEqualTo(ChainStatus.FORK);
        assertThat(v.chains().get("user:alice").at()).containsExactly(x, y);
        assertThat(v.isAuthentic(x)).isFalse();
        assertThat(v.isAuthentic(y)).isFalse();
    }

    @Test
    default void renamedOrReorderedFileIsNamed() {
        ObjectStore store = store();
        TestClock clock = clock();
        aliceWrites(store, "t-order", clock, 2);
        String key = onlyLogFile(store, "t-order");
        byte[] body = store.getBytes(key);
        store.delete(key);
        String moved = RoomLayout.logKey("t-order", 1780315200000L, 1780315200001L, "useralice", 0);
        store.put(moved, body);
        RoomVerification v = readFresh(store, "t-order", BOB, clock);
        assertThat(v.malformed()).anySatisfy(m -> {
            assertThat(m.file()).isEqualTo(moved);
            assertThat(m.reason()).contains("renamed or reordered");
        });
        assertThat(v.clean()).isFalse();
    }

    @Test
    default void truncatedFileReportsFileAndLine() {
        ObjectStore store = store();
        TestClock clock = clock();
        aliceWrites(store, "t-trunc", clock, 3);
        String key = onlyLogFile(store, "t-trunc");
        byte[] body = store.getBytes(key);
        store.delete(key);
        store.put(key, Arrays.copyOf(body, body.length - 40));
        RoomVerification v = readFresh(store, "t-trunc", BOB, clock);
        assertThat(v.malformed()).anySatisfy(m -> {
            assertThat(m.file()).isEqualTo(key);
            assertThat(m.line()).isEqualTo(4);
            assertThat(m.reason()).startsWith("not valid JSON");
        });
        assertThat(v.state().messages()).hasSize(2);
    }

    @Test
    default void duplicatedFileIsReportedAndCountedOnce() {
        ObjectStore store = store();
        TestClock clock = clock();
        aliceWrites(store, "t-dup", clock, 2);
        String key = onlyLogFile(store, "t-dup");
        store.put(key.replace(".jsonl", "_7.jsonl"), store.getBytes(key));
        RoomVerification v = readFresh(store, "t-dup", BOB, clock);
        assertThat(v.duplicates())
                .hasSize(3)
                .allMatch(d -> !d.conflicting() && d.files().size() == 2);
        assertThat(v.state().messages()).hasSize(2);
        assertThat(v.chains().get("user:alice").status()).isEqualTo(ChainStatus.INTACT);
    }

    @Test
    default void stateAppliesEditRedactionReactionAndMembershipRules() {
        ObjectStore store = store();
        TestClock clock = clock();
        String m1;
        String m2;
        try (BucketChatClient alice = BucketChatClient.create(store, "rules", "", "", ALICE, clock, MANUAL)) {
            clock.advance(Duration.ofMillis(1));
            m1 = alice.message("original", null).eventId();
            clock.advance(Duration.ofMillis(1));
            String e1 = alice.edit(m1, "first edit").eventId();
            clock.advance(Duration.ofMillis(1));
            alice.edit(m1, "second edit");
            clock.advance(Duration.ofMillis(1));
            alice.edit(e1, "edit of an edit: ignored");
            clock.advance(Duration.ofMillis(1));
            alice.member("invite", "user:carol");
            alice.flush();
        }
        try (BucketChatClient bob = BucketChatClient.open(store, "rules", BOB, clock, MANUAL)) {
            clock.advance(Duration.ofMillis(1));
            bob.join();
            clock.advance(Duration.ofMillis(1));
            bob.edit(m1, "bob cannot edit alice");
            clock.advance(Duration.ofMillis(1));
            bob.redact(m1, "bob is no admin");
            clock.advance(Duration.ofMillis(1));
            m2 = bob.message("bob's message", null).eventId();
            clock.advance(Duration.ofMillis(1));
            bob.react(m1, "👍");
            clock.advance(Duration.ofMillis(1));
            bob.react(m1, "👍");
        }
        try (BucketChatClient alice = BucketChatClient.open(store, "rules", ALICE, clock, MANUAL)) {
            clock.advance(Duration.ofMillis(1));
            alice.react(m1, "👍");
            clock.advance(Duration.ofMillis(1));
            alice.redact(m2, "admin may redact");
            clock.advance(Duration.ofMillis(1));
            alice.member("ban", "bob@example.com");
        }
        RoomVerification v = readFresh(store, "rules", CAROL, clock);
        assertThat(v.clean()).isTrue();
        assertThat(v.state().members())
                .containsEntry("user:alice", "join")
                .containsEntry("user:carol", "invite")
                .containsEntry("bob@example.com", "ban");
        assertThat(v.state().messages()).singleElement().satisfies(m -> {
            assertThat(m.eventId()).isEqualTo(m1);
            assertThat(m.body()).isEqualTo("second edit");
            assertThat(m.edited()).isTrue();
            assertThat(m.reactions()).containsExactly(Map.entry("👍", List.of("bob@example.com", "user:alice")));
        });
    }

    @Test
    default void senderWithoutAKnownKeyIsUnverifiedAndNotAuthentic() {
        ObjectStore store = store();
        TestClock clock = clock();
        aliceWrites(store, "t-unknown", clock, 1);
        try (BucketChatClient bob = BucketChatClient.open(store, "t-unknown", BOB, clock, MANUAL)) {
            bob.message("I never published my key", null); // no join(), so no self-enrolment
        }
        RoomVerification v = readFresh(store, "t-unknown", CAROL, clock);
        assertThat(v.withStatus(SignatureStatus.UNVERIFIED)).hasSize(1);
        assertThat(v.state().messages())
                .extracting(RoomState.VisibleMessage::body)
                .containsExactly("message 0");
        assertThat(v.clean()).isFalse();
    }

    @Test
    default void lateFlushWithAnOldTimestampIsStillSynced() {
        ObjectStore store = store();
        TestClock clock = clock();
        BucketChatClient.create(
                        store, "late", "", "", ALICE, clock, new BucketChatClient.Options(Duration.ofHours(1), 1000, 3))
                .close();
        try (BucketChatClient reader = BucketChatClient.open(
                store, "late", CAROL, clock, new BucketChatClient.Options(Duration.ofHours(1), 1000, 3))) {
            assertThat(reader.verify(Map.of()).timeline()).hasSize(1);
            // Bob's client was offline: its flush arrives now, dated yesterday, and another one dated 3 days ago.
            for (int daysAgo : new int[] {1, 3}) {
                TestClock past = new TestClock(clock.instant().minus(Duration.ofDays(daysAgo)));
                try (BucketChatClient bob = BucketChatClient.open(store, "late", BOB, past, MANUAL)) {
                    bob.join();
                    bob.message("written " + daysAgo + " days ago", null);
                }
            }
            assertThat(reader.poll()).extracting(l -> l.event().text("body")).contains("written 1 days ago");
            // Polls 0 (at open) and 3 list the whole room (full_sync_every = 3); 1 and 2 only today and yesterday.
            assertThat(reader.poll()).isEmpty();
            assertThat(reader.poll()).extracting(l -> l.event().text("body")).contains("written 3 days ago");
            assertThat(reader.verify(Map.of()).timeline())
                    .extracting(e -> e.body())
                    .contains("written 3 days ago");
        }
    }

    @Test
    default void floatsAndTypingAreNeverWritten() {
        ObjectStore store = store();
        try (BucketChatClient alice = BucketChatClient.create(store, "floats", "", "", ALICE, clock(), MANUAL)) {
            assertThatThrownBy(() -> alice.emit(
                            "org.example.x",
                            JsonNodeFactory.instance.objectNode().put("v", 1.5),
                            null))
                    .hasMessageContaining("float");
            assertThatThrownBy(() -> alice.emit("m.room.typing", JsonNodeFactory.instance.objectNode(), null))
                    .hasMessageContaining("ephemeral");
        }
    }

    @Test
    default void unknownEventTypesAreKeptAndVerified() {
        ObjectStore store = store();
        TestClock clock = clock();
        String id;
        try (BucketChatClient alice = BucketChatClient.create(store, "custom", "", "", ALICE, clock, MANUAL)) {
            clock.advance(Duration.ofMillis(1));
            id = alice.emit(
                            "org.example.poll",
                            JsonNodeFactory.instance.objectNode().put("question", "lunch?"),
                            null)
                    .eventId();
        }
        RoomVerification v = readFresh(store, "custom", BOB, clock);
        assertThat(v.signature(id)).isEqualTo(SignatureStatus.VALID);
        assertThat(v.timeline()).extracting(e -> e.type()).contains("org.example.poll");
    }

    @Test
    default void forgedMetadataVersionIsRefused() {
        ObjectStore store = store();
        TestClock clock = clock();
        BucketChatClient.create(store, "meta", "", "", ALICE, clock, MANUAL).close();
        // Carol writes v2 making herself admin, signed with her own key: neither an admin's nor a self-enrolment.
        var forged = io.rustbucket.core.json.Json.mapper().createObjectNode();
        forged.put("room_id", "meta").put("created_at", 0).put("version", "1.0").put("protocol", "bucket-chat-v1");
        forged.putObject("members")
                .putObject("user:carol")
                .put("public_key", CAROL.keys().publicKeyBase64())
                .put("role", "admin");
        forged.put("signed_by", "user:carol");
        forged.put(
                "signature",
                Ed25519.sign(CAROL.keys().seed(), io.rustbucket.bucketchat.canonical.CanonicalJson.bytes(forged)));
        store.put(RoomLayout.metadataVersionKey("meta", 2), forged.toString().getBytes(StandardCharsets.UTF_8));
        var current = new io.rustbucket.bucketchat.client.MetadataManager(store).read("meta");
        assertThat(current.refused()).containsExactly(RoomLayout.metadataVersionKey("meta", 2));
        assertThat(current.metadata().admins()).containsExactly("user:alice");
    }

    @Test
    default void logWriterNeverOverwrites() {
        ObjectStore store = store();
        TestClock clock = clock();
        ChatEvent e = ALICE.sign(new ChatEvent(
                "r::x::1",
                "r",
                clock.millis(),
                ALICE.senderId(),
                "m.room.message",
                null,
                null,
                "",
                JsonNodeFactory.instance.objectNode()));
        LogWriter w = new LogWriter(store);
        List<String> a = w.write("r", ALICE.senderId(), List.of(e));
        List<String> b = w.write("r", ALICE.senderId(), List.of(e));
        assertThat(a.getFirst()).isNotEqualTo(b.getFirst());
        assertThat(b.getFirst()).endsWith("_useralice_1.jsonl");
    }
}
