package io.rustbucket.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.auth.PasswordHasher;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.auth.Scope;
import io.rustbucket.core.auth.User;
import io.rustbucket.core.http.ApiServer;
import io.rustbucket.core.http.HttpLimits;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.llm.LlmConfig;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.core.store.StoreConfig;
import io.rustbucket.core.testing.TestDatabase;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The log platform's HTTP API over real sockets: the ingest contract's status table, search, tail, retention. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class LogApiTest {
    @TempDir
    static Path data;

    TestDatabase db;
    CoreServices core;
    LogPlatform logs;
    ApiServer http;
    String base;
    String ingestToken;
    String readToken;
    final HttpClient client = HttpClient.newHttpClient();

    @BeforeAll
    void start() {
        db = TestDatabase.h2();
        core = CoreServices.open(
                data,
                db.config(),
                StoreConfig.defaults(),
                io.rustbucket.core.auth.AuthConfig.defaults(),
                LlmConfig.defaults(),
                Map.of(),
                new PasswordHasher(1024, 1),
                Clock.systemUTC());
        // A small queue and body limit so overflow and 413 are cheap to reach.
        logs = LogPlatform.start(core, new LogsConfig(null, 7, 500, 2L * 1024 * 1024, 200, 50, null, null, null));
        http = ApiServer.start(
                "127.0.0.1", 0, HttpLimits.defaults(), core.readiness(), core.metrics(), List.of(logs.routes()));
        base = "http://127.0.0.1:" + http.port();
        User shipper = core.accounts().create("shipper", null, null, "shipper-pass", Set.of(Role.ANALYST), false);
        ingestToken =
                core.tokens().create(shipper, "ingest", Scope.INGEST, null).token();
        readToken = core.tokens().create(shipper, "read", Scope.READ, null).token();
    }

    @AfterAll
    void stop() {
        logs.stopStreams();
        http.close();
        logs.close();
        core.close();
        db.close();
    }

    private HttpResponse<String> post(String body, String contentType, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + "/ingest"))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", contentType);
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> ingest(String json) throws Exception {
        return post(json, "application/json", ingestToken);
    }

    private JsonNode search(String query) throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(base + "/api/logs/search?" + query))
                        .header("Authorization", "Bearer " + readToken)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    private static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    @Test
    void singleArrayAndNdjsonAreAccepted() throws Exception {
        assertThat(ingest("{\"service.name\":\"shape\",\"message\":\"single\"}").body())
                .isEqualTo("{\"indexed\":1}");
        assertThat(ingest(
                                "[{\"service.name\":\"shape\",\"message\":\"a1\"},{\"service\":{\"name\":\"shape\"},\"message\":\"a2\"}]")
                        .body())
                .isEqualTo("{\"indexed\":2}");
        HttpResponse<String> nd = post(
                "{\"service.name\":\"shape\",\"message\":\"n1\"}\n\n{\"service.name\":\"shape\",\"message\":\"n2\"}\n",
                "application/x-ndjson",
                ingestToken);
        assertThat(nd.body()).isEqualTo("{\"indexed\":2}");
        await().atMost(Duration.ofSeconds(3))
                .until(() -> search("service=shape").path("total").asInt() == 5);
    }

    @Test
    void partlyBadBatchIs207WithEachErrorAndTheRestIndexed() throws Exception {
        HttpResponse<String> r = ingest("[{\"service.name\":\"mixed\",\"message\":\"ok\"},{\"@timestamp\":42},"
                + "{\"@timestamp\":\"garbage\"},[1],{\"service.name\":\"mixed\",\"message\":\"ok too\"}]");
        assertThat(r.statusCode()).isEqualTo(207);
        JsonNode b = json(r);
        assertThat(b.path("indexed").asInt()).isEqualTo(2);
        assertThat(b.path("failed").asInt()).isEqualTo(3);
        assertThat(b.path("errors").findValuesAsText("index")).containsExactly("1", "2", "3");
        await().atMost(Duration.ofSeconds(3))
                .until(() -> search("service=mixed").path("total").asInt() == 2);
    }

    @Test
    void refusedBodiesGetTheRightStatus() throws Exception {
        assertThat(ingest("{not json").statusCode()).isEqualTo(400);
        assertThat(ingest("[]").statusCode()).isEqualTo(400);
        assertThat(ingest("{\"@timestamp\":12}").statusCode()).isEqualTo(400);
        assertThat(ingest("[".repeat(10_000)).statusCode()).isEqualTo(400);
        assertThat(ingest("{\"labels\":{\"x\":{\"y\":1}}}").statusCode()).isEqualTo(400);
        assertThat(post("x", "text/xml", ingestToken).statusCode()).isEqualTo(415);
        HttpResponse<String> big = ingest("{\"message\":\"" + "a".repeat(3 * 1024 * 1024) + "\"}");
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(json(big).path("code").asText()).isEqualTo("RGP.PAYLOAD_TOO_LARGE");
        assertThat(client.send(
                                HttpRequest.newBuilder(URI.create(base + "/health"))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString())
                        .statusCode())
                .isEqualTo(200);
    }

    @Test
    void onlyIngestTokensIngest() throws Exception {
        assertThat(post("{}", "application/json", null).statusCode()).isEqualTo(401);
        assertThat(post("{}", "application/json", "rbt_wrong").statusCode()).isEqualTo(401);
        assertThat(post("{}", "application/json", readToken).statusCode()).isEqualTo(403);
    }

    @Test
    void retriedBatchDoesNotDuplicate() throws Exception {
        String batch =
                "[{\"service.name\":\"retry\",\"message\":\"one\"},{\"service.name\":\"retry\",\"message\":\"two\",\"event\":{\"id\":\"fixed-id\"}}]";
        ingest(batch);
        ingest(batch);
        ingest(batch);
        await().atMost(Duration.ofSeconds(3))
                .until(() -> search("service=retry").path("total").asInt() == 2);
        Thread.sleep(600); // two more refreshes: still two
        assertThat(search("service=retry").path("total").asInt()).isEqualTo(2);
    }

    @Test
    void batchBeyondTheQueueIs429WithRetryAfterAndNothingHalfIndexed() throws Exception {
        String flood = IntStream.range(0, 501)
                .mapToObj(i -> "{\"service.name\":\"flood\",\"message\":\"f" + i + "\"}")
                .collect(Collectors.joining(",", "[", "]"));
        HttpResponse<String> r = ingest(flood);
        assertThat(r.statusCode()).isEqualTo(429);
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
        assertThat(json(r).path("code").asText()).isEqualTo("RGP.RATE_LIMITED");
        Thread.sleep(500);
        assertThat(search("service=flood").path("total").asInt()).isZero();
    }

    @Test
    void searchFiltersPagesAndIsNewestFirst() throws Exception {
        StringBuilder b = new StringBuilder("[");
        for (int i = 0; i < 30; i++) {
            b.append(i == 0 ? "" : ",")
                    .append("{\"@timestamp\":\"2026-05-05T10:00:")
                    .append(String.format("%02d", i))
                    .append("Z\",\"service.name\":\"pager\",\"log.level\":\"")
                    .append(i % 2 == 0 ? "warn" : "info")
                    .append("\",\"message\":\"attempt ")
                    .append(i)
                    .append("\",\"source.ip\":\"198.51.100.")
                    .append(i % 3)
                    .append("\"}");
        }
        ingest(b.append("]").toString());
        await().atMost(Duration.ofSeconds(3))
                .until(() -> search("service=pager").path("total").asInt() == 30);
        JsonNode warn = search("service=pager&level=WARN&size=5");
        assertThat(warn.path("total").asInt()).isEqualTo(15);
        assertThat(warn.path("hits").get(0).path("message").asText()).isEqualTo("attempt 28");
        JsonNode page2 = search("service=pager&level=warn&size=5&after="
                + warn.path("next_after").asText());
        assertThat(page2.path("hits").get(0).path("message").asText()).isEqualTo("attempt 18");
        assertThat(search("service=pager&source_ip=198.51.100.1").path("total").asInt())
                .isEqualTo(10);
        assertThat(search("service=pager&from=2026-05-05T10:00:10Z&to=2026-05-05T10:00:19Z")
                        .path("total")
                        .asInt())
                .isEqualTo(10);
        assertThat(search("service=pager&q=attempt").path("total").asInt()).isEqualTo(30);
        HttpResponse<String> bad = client.send(
                HttpRequest.newBuilder(URI.create(base + "/api/logs/search?from=yesterday"))
                        .header("Authorization", "Bearer " + readToken)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(bad.statusCode()).isEqualTo(400);
        HttpResponse<String> anonymous = client.send(
                HttpRequest.newBuilder(URI.create(base + "/api/logs/search")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(anonymous.statusCode()).isEqualTo(401);
    }

    @Test
    void liveTailStreamsMatchingEventsAsTheyAreIndexed() throws Exception {
        HttpResponse<String> notSse = client.send(
                HttpRequest.newBuilder(URI.create(base + "/api/logs/tail"))
                        .header("Authorization", "Bearer " + readToken)
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(notSse.statusCode()).isEqualTo(400);
        assertThat(notSse.body()).contains("Accept: text/event-stream");
        List<String> lines = new CopyOnWriteArrayList<>();
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/logs/tail?service=tailed&level=error"))
                .header("Authorization", "Bearer " + readToken)
                .header("Accept", "text/event-stream")
                .build();
        var response = client.sendAsync(req, HttpResponse.BodyHandlers.ofLines());
        HttpResponse<java.util.stream.Stream<String>> r = response.get();
        assertThat(r.statusCode()).isEqualTo(200);
        Thread reader = Thread.ofVirtual().start(() -> r.body().forEach(lines::add));
        await().atMost(Duration.ofSeconds(3)).until(() -> logs.tail().subscribers() > 0);
        ingest("[{\"service.name\":\"tailed\",\"log.level\":\"info\",\"message\":\"not me\"},"
                + "{\"service.name\":\"tailed\",\"log.level\":\"error\",\"message\":\"disk full\"}]");
        await().atMost(Duration.ofSeconds(3)).until(() -> lines.stream().anyMatch(l -> l.contains("disk full")));
        assertThat(lines).contains("event: log").noneMatch(l -> l.contains("not me"));
        reader.interrupt();
    }

    @Test
    void signingOutEndsATailTheSessionOpened() throws Exception {
        User viewer = core.accounts().create("viewer", null, null, "viewer-pass", Set.of(Role.VIEWER), false);
        var session = core.sessions().create(viewer, "127.0.0.1", "test");
        tailEndsWithItsCredential(
                "Cookie",
                io.rustbucket.core.auth.Authenticator.SESSION_COOKIE + "=" + session.token(),
                () -> core.sessions().end(session.info().id())); // what signing out does
    }

    @Test
    void revokingTheTokenEndsATailItOpened() throws Exception {
        User reader = core.accounts().create("tail-reader", null, null, "reader-pass", Set.of(Role.VIEWER), false);
        var token = core.tokens().create(reader, "tail", Scope.READ, null);
        tailEndsWithItsCredential(
                "Authorization",
                "Bearer " + token.token(),
                () -> assertThat(core.tokens().revoke(null, token.info().id())).isTrue());
    }

    /** Opens a tail with a credential, ends the credential, and expects the stream to say so and end. */
    private void tailEndsWithItsCredential(String header, String value, Runnable endCredential) throws Exception {
        List<String> lines = new CopyOnWriteArrayList<>();
        int before = logs.tail().subscribers();
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + "/api/logs/tail?service=nothing"))
                .header(header, value)
                .header("Accept", "text/event-stream")
                .build();
        HttpResponse<java.util.stream.Stream<String>> r =
                client.sendAsync(req, HttpResponse.BodyHandlers.ofLines()).get();
        assertThat(r.statusCode()).isEqualTo(200);
        var done =
                java.util.concurrent.CompletableFuture.runAsync(() -> r.body().forEach(lines::add));
        // watching the credential by the time it subscribes
        await().atMost(Duration.ofSeconds(3)).until(() -> logs.tail().subscribers() > before);
        endCredential.run();
        done.get(10, java.util.concurrent.TimeUnit.SECONDS); // the stream ends
        assertThat(lines).contains("event: error").anyMatch(l -> l.contains("RGP.AUTH.UNAUTHENTICATED"));
    }

    @Test
    void retentionDeletesDaysBeyondTheLimit() throws Exception {
        String old = Instant.now().minus(Duration.ofDays(10)).toString();
        String recent = Instant.now().minus(Duration.ofDays(2)).toString();
        ingest("[{\"@timestamp\":\"" + old + "\",\"service.name\":\"aging\",\"message\":\"old\"},"
                + "{\"@timestamp\":\"" + recent + "\",\"service.name\":\"aging\",\"message\":\"recent\"}]");
        await().atMost(Duration.ofSeconds(3))
                .until(() -> search("service=aging").path("total").asInt() == 2);
        List<String> deleted = logs.retention().run();
        assertThat(deleted.stream().filter(n -> n.startsWith("logs-aging-")))
                .singleElement()
                .isEqualTo("logs-aging-" + old.substring(0, 10).replace('-', '.'));
        await().atMost(Duration.ofSeconds(3))
                .until(() -> search("service=aging").path("total").asInt() == 1);
        assertThat(search("service=aging").path("hits").get(0).path("message").asText())
                .isEqualTo("recent");
    }

    @Test
    void readinessReportsTheLogIndex() throws Exception {
        HttpResponse<String> r = client.send(
                HttpRequest.newBuilder(URI.create(base + "/ready")).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(json(r).path("index").asText()).startsWith("lucene");
    }
}
