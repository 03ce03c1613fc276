package io.rustbucket.assistant;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.testing.FakeModelServer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Threads, streamed replies over SSE, resume, cancel and the reply's context, over real HTTP. */
class ConversationStreamTest {
    AssistantFixture f;

    @BeforeEach
    void start() throws Exception {
        f = new AssistantFixture();
    }

    @AfterEach
    void stop() throws Exception {
        f.close();
    }

    @Test
    void aMessageStartsAReplyThatStreamsToEveryMemberAndIsPersisted() throws Exception {
        String cid = f.conversation("alice", "Honeypot triage");
        f.addParticipant("alice", cid, "bob", "member");
        try (var alice = f.stream("alice", cid, null);
                var bob = f.stream("bob", cid, null)) {
            await().until(() -> f.assistant.hub().subscribers(cid) == 2);
            assertThat(alice.headers.firstValue("X-Accel-Buffering")).contains("no");
            assertThat(alice.headers.firstValue("Content-Type")).contains("text/event-stream; charset=utf-8");
            assertThat(alice.headers.firstValue("Cache-Control")).contains("no-cache");
            String system = f.json(
                            "alice",
                            "POST",
                            "/api/threads/" + cid + "/root",
                            "{\"role\":\"system\",\"content\":\"You are a terse SOC analyst.\"}",
                            201)
                    .path("message_id")
                    .asText();
            f.answer(List.of("Looks ", "like ", "a Mirai ", "variant."));
            JsonNode posted = f.json(
                    "alice",
                    "POST",
                    "/api/messages/" + system + "/reply",
                    "{\"content\":\"What is wget http://x/mirai.sh about?\"}",
                    201);
            String root = posted.path("root_id").asText();
            String reply = posted.path("reply_id").asText();

            for (var s : List.of(alice, bob)) {
                assertThat(s.next("thread.new")
                                .payload()
                                .path("conversation_id")
                                .asText())
                        .isEqualTo(cid);
                StringBuilder text = new StringBuilder();
                AssistantFixture.Frame done = null;
                while (done == null) {
                    AssistantFixture.Frame fr = s.frames.poll(10, java.util.concurrent.TimeUnit.SECONDS);
                    assertThat(fr).as("a frame").isNotNull();
                    if (fr.event.equals("message.delta")
                            && fr.payload().path("message_id").asText().equals(reply)) {
                        text.append(fr.deltaContent());
                        assertThat(fr.id).startsWith(root + ":" + reply + ":");
                    } else if (fr.event.equals("message.done")) {
                        done = fr;
                    }
                }
                assertThat(text.toString()).isEqualTo("Looks like a Mirai variant.");
                assertThat(done.payload().path("finish_reason").asText()).isEqualTo("stop");
            }
            // Each subscriber gets its own unread count: bob has the system message, the question and the reply.
            AssistantFixture.Frame unread;
            do {
                unread = bob.next("unread.update");
            } while (!unread.payload().path("root_id").asText().equals(root)
                    || unread.payload().path("unread").asInt() < 3);
            assertThat(unread.payload().path("unread").asInt()).isEqualTo(3);
        }
        // The model got the system message as the system prompt, then the question.
        JsonNode sent = f.model.received().getLast().json();
        assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo("You are a terse SOC analyst.");
        assertThat(sent.path("messages").get(1).path("content").asText()).contains("mirai.sh");
    }

    @Test
    void aReplyFinishesWithoutAnyClientAndAReconnectingClientGetsWhatItMissed() throws Exception {
        String cid = f.conversation("alice", "offline");
        long before = System.currentTimeMillis() - 1;
        f.answer(List.of("first ", "second ", "third"));
        JsonNode posted = f.json("alice", "POST", "/api/threads/" + cid + "/root", "{\"content\":\"hi\"}", 201);
        String reply = posted.path("reply_id").asText();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "complete"
                        .equals(f.assistant.messages().find(reply).orElseThrow().status()));
        assertThat(f.assistant.messages().find(reply).orElseThrow().content()).isEqualTo("first second third");

        try (var s = f.stream("alice", cid, "-:-:-:" + before)) {
            assertThat(s.next("thread.new").payload().path("root_id").asText())
                    .isEqualTo(posted.path("root_id").asText());
            List<String> deltas = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                deltas.add(s.next("message.delta").deltaContent());
            }
            assertThat(String.join("", deltas)).isEqualTo("first second third");
            assertThat(s.next("message.done").payload().path("finish_reason").asText())
                    .isEqualTo("stop");
        }
        JsonNode chunks = f.json("alice", "GET", "/api/messages/" + reply + "/chunks?from=1", null, 200);
        assertThat(chunks.path("chunks")).hasSize(2);
    }

    @Test
    void cancelStopsTheReplyWithCancelledAndKeepsWhatWasSaid() throws Exception {
        String cid = f.conversation("alice", "long one");
        // Two tokens, then the model goes quiet with the connection open.
        String frame = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"%s\"},\"finish_reason\":null}]}\n\n";
        f.model.enqueue(FakeModelServer.Reply.stalling(
                "text/event-stream",
                List.of(
                        String.format(frame, "partial ").getBytes(java.nio.charset.StandardCharsets.UTF_8),
                        String.format(frame, "answer").getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        try (var s = f.stream("alice", cid, null)) {
            await().until(() -> f.assistant.hub().subscribers(cid) == 1);
            JsonNode posted = f.json("alice", "POST", "/api/threads/" + cid + "/root", "{\"content\":\"go\"}", 201);
            String reply = posted.path("reply_id").asText();
            s.next("message.delta");
            // bob is not a member: the reply is not his to stop, nor even to see.
            assertThat(f.send("bob", "POST", "/api/messages/" + reply + "/cancel", null)
                            .statusCode())
                    .isEqualTo(404);
            assertThat(f.json("alice", "POST", "/api/messages/" + reply + "/cancel", null, 200)
                            .path("cancelled")
                            .asBoolean())
                    .isTrue();
            AssistantFixture.Frame done = s.next("message.done");
            assertThat(done.payload().path("finish_reason").asText()).isEqualTo("cancelled");
            var m = f.assistant.messages().find(reply).orElseThrow();
            assertThat(m.finishReason()).isEqualTo("cancelled");
            assertThat(m.content()).startsWith("partial");
        }
    }

    @Test
    void regeneratingAsksTheSameQuestionAgainAndKeepsTheFirstAnswerAsABranch() throws Exception {
        String cid = f.conversation("alice", "again");
        f.addParticipant("alice", cid, "bob", "member");
        f.addParticipant("alice", cid, "carol", "viewer");
        f.answer(List.of("first ", "answer"));
        JsonNode posted =
                f.json("alice", "POST", "/api/threads/" + cid + "/root", "{\"content\":\"why port 23?\"}", 201);
        String first = posted.path("reply_id").asText();
        String question = posted.path("message_id").asText();
        await().until(() -> f.assistant.replies().running() == 0);

        assertThat(f.send("carol", "POST", "/api/messages/" + first + "/regenerate", null)
                        .statusCode())
                .as("a viewer does not start model calls")
                .isEqualTo(403);
        assertThat(f.send("bob", "POST", "/api/messages/" + question + "/regenerate", null)
                        .statusCode())
                .as("a question is not an answer")
                .isEqualTo(400);
        try (var s = f.stream("alice", cid, null)) {
            await().until(() -> f.assistant.hub().subscribers(cid) == 1);
            f.answer(List.of("second ", "answer"));
            JsonNode again = f.json("bob", "POST", "/api/messages/" + first + "/regenerate", null, 201);
            String second = again.path("reply_id").asText();
            assertThat(second).isNotEqualTo(first);
            assertThat(again.path("parent_id").asText()).isEqualTo(question);
            assertThat(s.next("message.delta").payload().path("message_id").asText())
                    .isEqualTo(second);
            assertThat(s.next("message.done").payload().path("finish_reason").asText())
                    .isEqualTo("stop");
        }
        var sent = f.model.received().getLast().json().path("messages");
        assertThat(sent.get(sent.size() - 1).path("content").asText()).isEqualTo("why port 23?");
        JsonNode tree = f.json("alice", "GET", "/api/threads/" + question + "/tree", null, 200);
        assertThat(tree.path("messages").findValuesAsText("content"))
                .containsExactly("why port 23?", "first answer", "second answer");
        assertThat(tree.path("messages").get(2).path("parent_id").asText()).isEqualTo(question);

        f.json("alice", "POST", "/api/messages/" + question + "/delete", null, 200);
        assertThat(f.send("bob", "POST", "/api/messages/" + first + "/regenerate", null)
                        .statusCode())
                .as("the question was deleted")
                .isEqualTo(400);
    }

    @Test
    void aConversationExportsWholeAsMarkdownAndJsonInReadingOrder() throws Exception {
        String cid = f.conversation("alice", "Incident 42: telnet / botnet");
        f.addParticipant("alice", cid, "bob", "member");
        f.answer(List.of("It is ", "**telnet**."));
        JsonNode first =
                f.json("alice", "POST", "/api/threads/" + cid + "/root", "{\"content\":\"What is port 23?\"}", 201);
        await().until(() -> f.assistant.replies().running() == 0);
        f.answer(List.of("Mirai."));
        JsonNode second =
                f.json("bob", "POST", "/api/threads/" + cid + "/root", "{\"content\":\"Which botnet?\"}", 201);
        await().until(() -> f.assistant.replies().running() == 0);
        f.json(
                "bob",
                "POST",
                "/api/messages/" + second.path("message_id").asText() + "/edit",
                "{\"content\":\"Which botnet, again?\"}",
                200);
        String secret = f.json(
                        "alice",
                        "POST",
                        "/api/messages/" + first.path("message_id").asText() + "/reply",
                        "{\"content\":\"my password is hunter2\",\"role\":\"system\"}",
                        201)
                .path("message_id")
                .asText();
        f.json("alice", "POST", "/api/messages/" + secret + "/delete", null, 200);

        var md = f.send("bob", "GET", "/api/conversations/" + cid + "/export", null);
        assertThat(md.statusCode()).isEqualTo(200);
        assertThat(md.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/markdown"));
        assertThat(md.headers().firstValue("Content-Disposition"))
                .contains("attachment; filename=\"conversation-incident-42-telnet-botnet.md\"");
        String text = md.body();
        assertThat(text).startsWith("# Incident 42: telnet / botnet\n").contains("alice (owner)", "bob (member)");
        assertThat(text.indexOf("What is port 23?"))
                .as("threads oldest first, each in tree order")
                .isLessThan(text.indexOf("It is **telnet**."))
                .isLessThan(text.indexOf("Which botnet, again?"));
        assertThat(text.indexOf("Which botnet, again?")).isLessThan(text.indexOf("Mirai."));
        assertThat(text)
                .contains("**assistant (fake)**", "in reply to alice", "_(deleted)_")
                .doesNotContain("hunter2");

        JsonNode json = f.json("bob", "GET", "/api/conversations/" + cid + "/export?format=json", null, 200);
        assertThat(json.path("conversation").path("title").asText()).isEqualTo("Incident 42: telnet / botnet");
        assertThat(json.path("participants").findValuesAsText("username")).containsExactly("alice", "bob");
        assertThat(json.path("threads")).hasSize(2);
        assertThat(json.path("threads").get(0).path("messages").findValuesAsText("content"))
                .containsExactly("What is port 23?", "It is **telnet**.", "");
        assertThat(json.path("threads")
                        .get(1)
                        .path("messages")
                        .get(0)
                        .path("edited_at")
                        .isNull())
                .isFalse();
        assertThat(f.send("carol", "GET", "/api/conversations/" + cid + "/export", null)
                        .statusCode())
                .isEqualTo(404);
        assertThat(f.send("bob", "GET", "/api/conversations/" + cid + "/export?format=pdf", null)
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void threadsTreeUnreadAndReadWatermark() throws Exception {
        String cid = f.conversation("alice", "tree");
        f.addParticipant("alice", cid, "bob", "member");
        f.answer(List.of("a1"));
        JsonNode root = f.json("alice", "POST", "/api/threads/" + cid + "/root", "{\"content\":\"q1\"}", 201);
        String rootId = root.path("root_id").asText();
        await().until(() -> f.assistant.replies().running() == 0);
        f.answer(List.of("a2"));
        JsonNode r2 = f.json(
                "bob",
                "POST",
                "/api/messages/" + root.path("reply_id").asText() + "/reply",
                "{\"content\":\"follow-up\"}",
                201);
        assertThat(r2.path("depth").asInt()).isEqualTo(2);
        await().until(() -> f.assistant.replies().running() == 0);

        JsonNode tree = f.json("alice", "GET", "/api/threads/" + rootId + "/tree?limit=2", null, 200);
        assertThat(tree.path("messages")).hasSize(2);
        JsonNode rest = f.json(
                "alice",
                "GET",
                "/api/threads/" + rootId + "/tree?cursor_path="
                        + tree.path("next_cursor").asText(),
                null,
                200);
        List<String> contents = new ArrayList<>();
        tree.path("messages").forEach(m -> contents.add(m.path("content").asText()));
        rest.path("messages").forEach(m -> contents.add(m.path("content").asText()));
        assertThat(contents).containsExactly("q1", "a1", "follow-up", "a2");

        JsonNode threads = f.json("alice", "GET", "/api/conversations/" + cid + "/threads", null, 200);
        assertThat(threads.path("threads").get(0).path("message_count").asInt()).isEqualTo(4);
        assertThat(threads.path("threads").get(0).path("root_excerpt").asText()).isEqualTo("q1");
        JsonNode unread = f.json("alice", "GET", "/api/conversations/" + cid + "/unread", null, 200);
        assertThat(unread.path("threads").get(0).path("unread").asInt()).isEqualTo(3); // a1, bob's, a2
        f.json("alice", "POST", "/api/threads/" + rootId + "/read", null, 204);
        assertThat(f.json("alice", "GET", "/api/conversations/" + cid + "/unread", null, 200)
                        .path("threads"))
                .isEmpty();
    }

    @Test
    void aModelThatGoesQuietEndsTheReplyWithTimeout() throws Exception {
        String cid = f.conversation("alice", "slow model");
        String frame = "data: {\"id\":\"c1\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                + "\"delta\":{\"content\":\"thinking\"},\"finish_reason\":null}]}\n\n";
        f.model.enqueue(FakeModelServer.Reply.stalling(
                "text/event-stream", List.of(frame.getBytes(java.nio.charset.StandardCharsets.UTF_8))));
        try (var s = f.stream("alice", cid, null)) {
            await().until(() -> f.assistant.hub().subscribers(cid) == 1);
            f.json("alice", "POST", "/api/threads/" + cid + "/root", "{\"content\":\"go\"}", 201);
            // The fixture's model has a 5 s deadline.
            AssistantFixture.Frame done = s.next("message.done");
            assertThat(done.payload().path("finish_reason").asText()).isEqualTo("timeout");
        }
    }

    @Test
    @org.junit.jupiter.api.Timeout(60)
    void aReaderThatStopsReadingIsToldToResumeAndNeitherThePublisherNorTheOthersWait() throws Exception {
        String cid = f.conversation("alice", "one stalled reader");
        String[] session = f.sessions.get("alice").split("\\|", 2);
        try (var reading = f.stream("alice", cid, null);
                java.net.Socket stalled = new java.net.Socket()) {
            stalled.setReceiveBufferSize(4096);
            stalled.connect(new java.net.InetSocketAddress("127.0.0.1", f.http.port()));
            stalled.getOutputStream()
                    .write(("GET /api/stream/conversations/" + cid + " HTTP/1.1\r\nHost: 127.0.0.1\r\nCookie: "
                                    + session[0] + "\r\nConnection: close\r\n\r\n")
                            .getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            await().until(() -> f.assistant.hub().subscribers(cid) == 2);

            // 16 MB of events: far more than the stalled client's socket buffers and the stream's 1 MiB allowance.
            String big = "x".repeat(64 * 1024);
            int events = 256;
            for (int i = 0; i < events; i++) { // on this thread: a publisher that waited for the socket would hang
                f.assistant
                        .hub()
                        .publish(
                                cid,
                                new StreamHub.Event(
                                        "message.delta",
                                        java.util.Map.of("seq", i, "content", big),
                                        StreamHub.id("r", "m", i, i)));
                // the reading client keeps pace, so it never falls behind
                assertThat(reading.next("message.delta").payload().path("seq").asInt())
                        .isEqualTo(i);
            }

            // The stalled client, reading at last, finds the frames that fitted, then the order to resume, then
            // the end of the response; its subscription is gone.
            stalled.setSoTimeout(30_000);
            byte[] all = stalled.getInputStream().readAllBytes();
            String tail = new String(
                    all,
                    Math.max(0, all.length - 2000),
                    Math.min(2000, all.length),
                    java.nio.charset.StandardCharsets.UTF_8);
            assertThat(tail).contains("RGP.STREAM.LAGGING");
            assertThat(all.length).isLessThan(events * big.length());
            await().until(() -> f.assistant.hub().subscribers(cid) == 1);
        }
    }

    @Test
    void aRemovedMembersOpenStreamEndsWithTheRemoval() throws Exception {
        String cid = f.conversation("alice", "team");
        f.addParticipant("alice", cid, "bob", "member");
        try (var bob = f.stream("bob", cid, null)) {
            await().until(() -> f.assistant.hub().subscribers(cid) == 1);
            f.json("alice", "DELETE", "/api/conversations/" + cid + "/participants/" + f.id("bob"), null, 204);
            assertThat(bob.next("membership.changed").payload().path("action").asText())
                    .isEqualTo("removed");
            bob.future.get(10, java.util.concurrent.TimeUnit.SECONDS); // the response ends
            assertThat(f.assistant.hub().subscribers(cid)).isZero();
            f.json("alice", "POST", "/api/threads/" + cid + "/root", "{\"role\":\"system\",\"content\":\"x\"}", 201);
            assertThat(bob.frames).noneMatch(fr -> fr.event.equals("thread.new"));
        }
    }

    @Test
    void signingOutEndsTheStreamsTheSessionOpened() throws Exception {
        String cid = f.conversation("alice", "mine");
        try (var alice = f.stream("alice", cid, null)) {
            await().until(() -> f.assistant.hub().subscribers(cid) == 1);
            f.json("alice", "POST", "/api/auth/logout", null, 204);
            assertThat(alice.next("error").payload().path("code").asText()).isEqualTo("RGP.AUTH.UNAUTHENTICATED");
            alice.future.get(10, java.util.concurrent.TimeUnit.SECONDS); // the response ends
            assertThat(f.assistant.hub().subscribers(cid)).isZero();
        }
    }

    @Test
    void postingIsRateLimitedWithRetryAfter() throws Exception {
        String cid = f.conversation("alice", "busy");
        int last = 0;
        java.net.http.HttpResponse<String> r = null;
        for (int i = 0; i < 15 && last != 429; i++) { // system messages: rate-limited like any, no model call
            r = f.send(
                    "alice",
                    "POST",
                    "/api/threads/" + cid + "/root",
                    "{\"role\":\"system\",\"content\":\"rule " + i + "\"}");
            last = r.statusCode();
        }
        assertThat(last).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(com.fasterxml.jackson.databind.json.JsonMapper.builder()
                        .build()
                        .readTree(r.body())
                        .path("code")
                        .asText())
                .isEqualTo("RGP.RATE_LIMITED");
    }
}
