package io.rustbucket.assistant;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.auth.AuthConfig;
import io.rustbucket.core.auth.PasswordHasher;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.auth.Scope;
import io.rustbucket.core.auth.User;
import io.rustbucket.core.http.ApiServer;
import io.rustbucket.core.http.HttpLimits;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.llm.LlmConfig;
import io.rustbucket.core.llm.ModelConfig;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.core.store.StoreConfig;
import io.rustbucket.core.testing.FakeModelServer;
import io.rustbucket.core.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * The assistant on a real database and a real HTTP server, its model a fake OpenAI-compatible server that
 * streams byte for byte like the real one. Users: alice, bob and carol (all platform viewers; their roles in a
 * conversation are the assistant's), each signed in with a browser session.
 */
final class AssistantFixture implements AutoCloseable {
    final TestDatabase db;
    final FakeModelServer model;
    final CoreServices core;
    final Assistant assistant;
    final ApiServer http;
    final String base;
    final HttpClient client = HttpClient.newHttpClient();
    final Map<String, User> users = new LinkedHashMap<>();
    final Map<String, String> sessions = new LinkedHashMap<>();

    AssistantFixture(TestDatabase db) throws Exception {
        this(db, AssistantConfig.defaults());
    }

    AssistantFixture(TestDatabase db, AssistantConfig config) throws Exception {
        this.db = db;
        this.model = new FakeModelServer();
        ModelConfig fake =
                new ModelConfig(ModelConfig.Provider.OPENAI, "gpt-test", model.baseUrl(), "sk-test", 5, 256, 0.0, 64);
        core = CoreServices.open(
                Files.createTempDirectory("rb-assistant"),
                db.config(),
                StoreConfig.defaults(),
                AuthConfig.defaults(),
                new LlmConfig("fake", 64, Map.of("fake", fake)),
                Map.of(),
                new PasswordHasher(1024, 1),
                Clock.systemUTC());
        assistant = Assistant.start(core, config, "");
        http = ApiServer.start(
                "127.0.0.1",
                0,
                HttpLimits.defaults(),
                core.readiness(),
                core.metrics(),
                List.of(core.authRoutes(), assistant.routes()));
        base = "http://127.0.0.1:" + http.port();
        for (String name : List.of("alice", "bob", "carol")) {
            users.put(
                    name,
                    core.accounts()
                            .create(
                                    name,
                                    name + "@example.test",
                                    null,
                                    name + "-pass-123",
                                    Set.of(Role.VIEWER),
                                    false));
            sessions.put(name, signIn(name, name + "-pass-123"));
        }
    }

    AssistantFixture() throws Exception {
        this(TestDatabase.h2());
    }

    String id(String user) {
        return users.get(user).id();
    }

    /** A bearer API token of a user with a scope. */
    String token(String user, Scope scope) {
        return core.tokens().create(users.get(user), "t", scope, null).token();
    }

    /** Queues one streamed answer of the fake model: tokens flushed one by one. */
    void answer(List<String> tokens) {
        model.enqueue(FakeModelServer.Reply.stream(
                "text/event-stream",
                FakeModelServer.split(FakeModelServer.openAiStream(tokens, "stop", 12, tokens.size()), 40),
                java.time.Duration.ofMillis(5)));
    }

    String signIn(String user, String password) throws Exception {
        var s = io.rustbucket.core.testing.TestSessions.signIn(client, base, user, password);
        return s.cookieHeader() + "|" + s.csrf();
    }

    /** A request as a signed-in user ({@code as} a user name) or with a bearer token ({@code as} "Bearer ..."). */
    HttpResponse<String> send(String as, String method, String path, String body) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (as != null && as.startsWith("Bearer ")) {
            b.header("Authorization", as);
        } else if (as != null) {
            String[] s = sessions.get(as).split("\\|", 2);
            b.header("Cookie", s[0]).header("X-CSRF-TOKEN", s[1]);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    JsonNode json(String as, String method, String path, String body, int expected) throws Exception {
        HttpResponse<String> r = send(as, method, path, body);
        if (r.statusCode() != expected) {
            throw new AssertionError(method + " " + path + " answered " + r.statusCode() + ": " + r.body());
        }
        return r.body().isEmpty()
                ? Json.mapper().createObjectNode()
                : Json.mapper().readTree(r.body());
    }

    String conversation(String owner, String title) throws Exception {
        return json(owner, "POST", "/api/conversations", "{\"title\":\"" + title + "\"}", 201)
                .path("conversation_id")
                .asText();
    }

    /** {@code owner} adds {@code user} to a conversation with a role (201 expected). */
    void addParticipant(String owner, String conversationId, String user, String role) throws Exception {
        json(
                owner,
                "POST",
                "/api/conversations/" + conversationId + "/participants",
                "{\"user_id\":\"" + id(user) + "\",\"role\":\"" + role + "\"}",
                201);
    }

    /** An open SSE stream: its frames, parsed, arrive in {@link Stream#frames}. */
    Stream stream(String as, String conversationId, String lastEventId) {
        Stream s = new Stream();
        String[] session = sessions.get(as).split("\\|", 2);
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/api/stream/conversations/" + conversationId))
                .header("Cookie", session[0])
                .header("Accept", "text/event-stream");
        if (lastEventId != null) {
            b.header("Last-Event-ID", lastEventId);
        }
        s.future = client.sendAsync(b.build(), HttpResponse.BodyHandlers.ofLines())
                .thenAccept(r -> {
                    s.status = r.statusCode();
                    s.headers = r.headers();
                    Frame f = new Frame();
                    for (var it = r.body().iterator(); it.hasNext(); ) {
                        String line = it.next();
                        if (line.isEmpty()) {
                            if (f.event != null) {
                                s.frames.add(f);
                            }
                            f = new Frame();
                        } else if (line.startsWith("event:")) {
                            f.event = line.substring(6).strip();
                        } else if (line.startsWith("id:")) {
                            f.id = line.substring(3).strip();
                        } else if (line.startsWith("data:")) {
                            f.data = line.substring(5).strip();
                        }
                    }
                });
        return s;
    }

    static final class Frame {
        String event;
        String id;
        String data;

        JsonNode payload() throws Exception {
            return Json.mapper().readTree(data).path("payload");
        }

        /** The text a {@code message.delta} carries. */
        String deltaContent() throws Exception {
            return payload()
                    .path("choices")
                    .get(0)
                    .path("delta")
                    .path("content")
                    .asText();
        }

        @Override
        public String toString() {
            return event + " " + id + " " + data;
        }
    }

    static final class Stream implements AutoCloseable {
        final BlockingQueue<Frame> frames = new LinkedBlockingQueue<>();
        volatile int status;
        volatile java.net.http.HttpHeaders headers;
        java.util.concurrent.CompletableFuture<Void> future;

        /** The next frame of a kind, skipping others (within a deadline). */
        Frame next(String event) throws InterruptedException {
            long until = System.currentTimeMillis() + 10_000;
            while (System.currentTimeMillis() < until) {
                Frame f = frames.poll(100, java.util.concurrent.TimeUnit.MILLISECONDS);
                if (f != null && f.event.equals(event)) {
                    return f;
                }
            }
            throw new AssertionError("no " + event + " frame within 10 s");
        }

        @Override
        public void close() {
            future.cancel(true);
        }
    }

    @Override
    public void close() throws Exception {
        assistant.close();
        http.close();
        core.close();
        model.close();
        db.close();
    }
}
