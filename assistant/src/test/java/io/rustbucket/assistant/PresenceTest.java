package io.rustbucket.assistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustbucket.core.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Presence over the real API and stream, and the server's own offline verdict on a clock it controls. */
class PresenceTest {
    AssistantFixture f;
    String cid;

    @BeforeEach
    void start() throws Exception {
        f = new AssistantFixture();
        cid = f.conversation("alice", "presence");
        f.addParticipant("alice", cid, "bob", "member");
        f.addParticipant("alice", cid, "carol", "viewer");
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void membersHearChangesNotRepeatsAndANewStreamStartsWithWhoIsThere() throws Exception {
        try (var bob = f.stream("bob", cid, null)) {
            ready(bob, cid, "alice");
            heartbeat("alice", "online");
            var online = bob.next("presence.update");
            assertThat(online.payload().path("user_id").asText()).isEqualTo(f.id("alice"));
            assertThat(online.payload().path("status").asText()).isEqualTo("online");
            assertThat(online.id)
                    .as("a live change is a resume point like any event")
                    .isNotNull();

            heartbeat("alice", "online"); // nothing changed: nobody hears it
            heartbeat("alice", null); // a bare heartbeat means online
            heartbeat("bob", "away");
            var next = bob.next("presence.update");
            assertThat(next.payload().path("user_id").asText())
                    .as("alice's repeats were not fanned out")
                    .isEqualTo(f.id("bob"));
            assertThat(next.payload().path("status").asText()).isEqualTo("away");
        }
        try (var carol = f.stream("carol", cid, null)) {
            var first = carol.next("presence.update");
            var second = carol.next("presence.update");
            ready(carol, cid, "alice");
            assertThat(List.of(
                            first.payload().path("user_id").asText(),
                            second.payload().path("user_id").asText()))
                    .containsExactlyInAnyOrder(f.id("alice"), f.id("bob"));
            assertThat(first.id).as("a snapshot is not a resume point").isNull();
            heartbeat("alice", "offline");
            var gone = carol.next("presence.update");
            assertThat(gone.payload().path("status").asText()).isEqualTo("offline");
            assertThat(gone.payload().path("user_id").asText()).isEqualTo(f.id("alice"));
        }
        assertThat(f.send("alice", "POST", "/api/presence/heartbeat", "{\"status\":\"busy\"}")
                        .statusCode())
                .isEqualTo(400);
        String outsider = f.conversation("carol", "carol alone");
        try (var alone = f.stream("carol", outsider, null)) {
            ready(alone, outsider, "carol");
            heartbeat("alice", "online"); // alice is in no conversation with carol here
            heartbeat("carol", "online");
            assertThat(alone.next("presence.update").payload().path("user_id").asText())
                    .isEqualTo(f.id("carol"));
        }
    }

    @Test
    void aSilentClientGoesOfflineAndAHiddenTabDoesNotHideAVisibleOne() throws Exception {
        TestClock clock = new TestClock(Instant.parse("2026-05-01T10:00:00Z"));
        Presence presence = new Presence(f.assistant.conversations(), f.assistant.hub(), clock);
        List<String> heard = new CopyOnWriteArrayList<>();
        var sub = f.assistant.hub().subscribe(cid, e -> {
            if (e.name().equals("presence.update")) {
                heard.add(f.users.entrySet().stream()
                                .filter(u ->
                                        u.getValue().id().equals(e.payload().get("user_id")))
                                .findFirst()
                                .orElseThrow()
                                .getKey()
                        + " " + e.payload().get("status") + " " + e.payload().get("last_seen_at"));
            }
        });
        try {
            presence.heartbeat(f.id("alice"), "online");
            clock.advance(Duration.ofSeconds(10));
            presence.heartbeat(f.id("alice"), "away"); // her other tab, hidden; the visible one said online 10 s ago
            assertThat(presence.status(f.id("alice"))).isEqualTo("online");
            clock.advance(Presence.ONLINE_HOLD);
            presence.heartbeat(f.id("alice"), "away"); // no online for 45 s: away now
            assertThat(presence.status(f.id("alice"))).isEqualTo("away");
            Instant last = clock.instant();

            clock.advance(Presence.OFFLINE_AFTER.minusSeconds(1));
            presence.sweep();
            assertThat(presence.status(f.id("alice"))).isEqualTo("away");
            clock.advance(Duration.ofSeconds(2));
            presence.sweep();
            assertThat(presence.status(f.id("alice"))).isEqualTo("offline");
            presence.sweep(); // once
            assertThat(heard)
                    .containsExactly(
                            "alice online 2026-05-01T10:00:00Z", "alice away " + last, "alice offline " + last);
        } finally {
            sub.close();
        }
    }

    private void heartbeat(String user, String status) throws Exception {
        String body = status == null ? null : "{\"status\":\"" + status + "\"}";
        var r = f.send(user, "POST", "/api/presence/heartbeat", body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(204);
    }

    /**
     * Returns once the stream's catch-up (the presence snapshot among it) is behind it: a typing event is live, and
     * live events queue behind the catch-up.
     */
    private void ready(AssistantFixture.Stream s, String conversationId, String member) throws Exception {
        await().until(() -> f.assistant.hub().subscribers(conversationId) >= 1);
        f.json(
                member,
                "POST",
                "/api/typing",
                "{\"conversation_id\":\"" + conversationId + "\",\"root_id\":\"r\"}",
                204);
        s.next("typing.update");
    }
}
