package io.rustbucket.app;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.auth.PasswordHasher;
import io.rustbucket.core.json.Json;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/** The platform started as {@code up} starts it, driven over real HTTP. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PlatformTest {
    @TempDir
    static Path data;

    Platform platform;
    String base;
    String adminPassword;

    @BeforeAll
    void start() {
        Map<String, String> sets =
                new java.util.HashMap<>(Map.of("platform.data_dir", data.toString(), "platform.port", "0"));
        for (String service : List.of("ftp", "telnet", "smtp", "http", "ssh")) {
            sets.put("sensor.ports." + service + ".port", "0"); // any free port: tests run beside other processes
        }
        sets.put("sensor.management.port", "0");
        sets.put("alerts.rooms_check_secs", "1");
        RustbucketConfig config = RustbucketConfig.load(null, Map.of(), sets);
        platform = Platform.start(config, Map.of(), new PasswordHasher(1024, 1), Clock.systemUTC());
        base = "http://127.0.0.1:" + platform.httpPort();
        adminPassword = platform.initialAdminPassword().orElseThrow();
    }

    @AfterAll
    void stop() {
        platform.close();
    }

    /** A browser-like client: keeps cookies, sends the CSRF header once it has one. */
    final class Browser {
        final CookieManager cookies = new CookieManager();
        final HttpClient http;
        String csrf;

        Browser() {
            http = HttpClient.newBuilder().cookieHandler(cookies).build();
        }

        Browser(java.net.InetAddress from) {
            http = HttpClient.newBuilder()
                    .cookieHandler(cookies)
                    .localAddress(from)
                    .build();
        }

        HttpResponse<String> send(String method, String path, String json, Map<String, String> headers)
                throws Exception {
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                    .method(
                            method,
                            json == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(json))
                    .header("Content-Type", "application/json");
            if (csrf != null) {
                b.header("X-CSRF-TOKEN", csrf);
            }
            headers.forEach(b::header);
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        }

        HttpResponse<String> send(String method, String path, String json) throws Exception {
            return send(method, path, json, Map.of());
        }

        HttpResponse<String> login(String user, String password) throws Exception {
            HttpResponse<String> r =
                    send("POST", "/api/auth/login", Json.write(Map.of("email", user, "password", password)));
            if (r.statusCode() == 200) {
                csrf = json(r).path("csrf_token").asText();
            }
            return r;
        }
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    @Test
    void theSensorRunsInsideUpAndItsEventsAreSearchable() throws Exception {
        String telnet = platform.endpoints().get("sensor telnet");
        assertThat(telnet).startsWith("telnet://127.0.0.1:");
        int port = Integer.parseInt(telnet.substring(telnet.lastIndexOf(':') + 1));
        try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
            s.setSoTimeout(5000);
            var in = s.getInputStream();
            var out = s.getOutputStream();
            in.readNBytes(12); // the terminal questions; the client declines
            out.write(new byte[] {(byte) 255, (byte) 252, 24});
            readUntil(in, "login: ");
            out.write("root\r\n".getBytes());
            readUntil(in, "Password: ");
            out.write("platform-test-pw\r\n".getBytes());
            readUntil(in, "# ");
            out.write("uname -a\r\nexit\r\n".getBytes());
            readUntil(in, "logout");
        }
        var logs = platform.system(io.rustbucket.logs.LogPlatform.class).orElseThrow();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(10))
                .untilAsserted(() -> {
                    var page = logs.search(new io.rustbucket.logs.index.LogQuery(
                            "", Map.of("service.name", "sensor"), null, null, 100, null));
                    assertThat(page.hits())
                            .anySatisfy(h -> assertThat(h.toString()).contains("platform-test-pw"));
                    assertThat(page.hits())
                            .anySatisfy(h -> assertThat(h.toString()).contains("uname -a"));
                });
        assertThat(platform.endpoints()).containsKeys("sensor ftp", "sensor smtp", "sensor http", "sensor ssh");
        // They came over the ingest API with the feed's own token, like any shipper's.
        var feed = platform.core().accounts().findByLogin("sensor-feed").orElseThrow();
        assertThat(platform.core().tokens().list(feed.id()))
                .filteredOn(t -> t.revokedAt() == null)
                .singleElement()
                .satisfies(t -> {
                    assertThat(t.scope()).isEqualTo(io.rustbucket.core.auth.Scope.INGEST);
                    assertThat(t.lastUsedAt()).isNotNull();
                });
    }

    private static void readUntil(java.io.InputStream in, String marker) throws Exception {
        StringBuilder seen = new StringBuilder();
        int b;
        while (!seen.toString().endsWith(marker) && (b = in.read()) >= 0) {
            seen.append((char) b);
        }
    }

    @Test
    void healthAndReadinessListEveryPart() throws Exception {
        Browser b = new Browser();
        assertThat(b.send("GET", "/healthz", null).statusCode()).isEqualTo(200);
        HttpResponse<String> ready = b.send("GET", "/readyz", null);
        assertThat(ready.statusCode()).isEqualTo(200);
        assertThat(json(ready).path("ready").asBoolean()).isTrue();
        assertThat(json(ready).path("parts").findValuesAsText("name"))
                .contains("database", "store", "llm", "platform-http");
    }

    @Test
    void wrongPasswordIsAProblemDocumentWithAStableCode() throws Exception {
        HttpResponse<String> r = new Browser().login("admin", "not-the-password");
        assertThat(r.statusCode()).isEqualTo(401);
        assertThat(r.headers().firstValue("Content-Type"))
                .hasValueSatisfying(ct -> assertThat(ct).startsWith("application/problem+json"));
        assertThat(json(r).path("code").asText()).isEqualTo("RGP.AUTH.INVALID_CREDENTIALS");
        assertThat(json(r).path("status").asInt()).isEqualTo(401);
    }

    @Test
    void loginReturnsTheContractShapeAndHttpOnlySessionCookie() throws Exception {
        Browser b = new Browser();
        HttpResponse<String> r = b.login("admin", adminPassword);
        assertThat(r.statusCode()).isEqualTo(200);
        JsonNode body = json(r);
        assertThat(body.path("user").path("username").asText()).isEqualTo("admin");
        assertThat(body.path("user").path("roles").get(0).asText()).isEqualTo("admin");
        assertThat(body.path("session").path("absolute_expires_at").asText()).isNotEmpty();
        assertThat(body.path("csrf_token").asText()).hasSizeGreaterThan(20);
        HttpCookie session = b.cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals("rb_session"))
                .findFirst()
                .orElseThrow();
        assertThat(session.isHttpOnly()).isTrue();
        assertThat(json(b.send("GET", "/api/auth/me", null))
                        .path("user")
                        .path("must_change_password")
                        .asBoolean())
                .isTrue();
    }

    @Test
    void stateChangesWithASessionNeedTheCsrfHeader() throws Exception {
        Browser b = new Browser();
        b.login("admin", adminPassword);
        String token = b.csrf;
        b.csrf = null;
        HttpResponse<String> without = b.send("POST", "/api/tokens", "{\"name\":\"t\",\"scope\":\"read\"}");
        assertThat(without.statusCode()).isEqualTo(403);
        assertThat(json(without).path("code").asText()).isEqualTo("RGP.AUTH.CSRF");
        b.csrf = "forged-" + token;
        assertThat(b.send("POST", "/api/tokens", "{\"name\":\"t\",\"scope\":\"read\"}")
                        .statusCode())
                .isEqualTo(403);
        b.csrf = token;
        assertThat(b.send("POST", "/api/tokens", "{\"name\":\"t\",\"scope\":\"read\"}")
                        .statusCode())
                .isEqualTo(201);
    }

    @Test
    void bearerTokensActWithinTheirScope() throws Exception {
        Browser admin = new Browser();
        admin.login("admin", adminPassword);
        String read = json(admin.send("POST", "/api/tokens", "{\"name\":\"script\",\"scope\":\"read\"}"))
                .path("token")
                .asText();
        assertThat(read).startsWith("rbt_");

        Browser script = new Browser();
        Map<String, String> bearer = Map.of("Authorization", "Bearer " + read);
        HttpResponse<String> me = script.send("GET", "/api/auth/me", null, bearer);
        assertThat(json(me).path("scope").asText()).isEqualTo("read");
        HttpResponse<String> createUser = script.send(
                "POST",
                "/api/users",
                "{\"username\":\"mallory\",\"password\":\"password123\",\"role\":\"admin\"}",
                bearer);
        assertThat(createUser.statusCode()).isEqualTo(403);
        assertThat(json(createUser).path("code").asText()).isEqualTo("RGP.RBAC.FORBIDDEN");
        assertThat(script.send("GET", "/api/auth/me", null, Map.of("Authorization", "Bearer rbt_forged"))
                        .statusCode())
                .isEqualTo(401);
    }

    @Test
    void adminCreatesUsersWhoSeeOnlyWhatTheirRoleAllows() throws Exception {
        Browser admin = new Browser();
        admin.login("admin", adminPassword);
        HttpResponse<String> created = admin.send(
                "POST", "/api/users", "{\"username\":\"viewer1\",\"password\":\"viewer-pass-1\",\"role\":\"viewer\"}");
        assertThat(created.statusCode()).isEqualTo(201);
        assertThat(admin.send("POST", "/api/users", "{\"username\":\"viewer1\",\"password\":\"viewer-pass-1\"}")
                        .statusCode())
                .isEqualTo(409);
        Browser viewer = new Browser();
        assertThat(viewer.login("viewer1", "viewer-pass-1").statusCode()).isEqualTo(200);
        assertThat(viewer.send("GET", "/api/users", null).statusCode()).isEqualTo(403);
        assertThat(viewer.send("POST", "/api/tokens", "{\"name\":\"x\",\"scope\":\"ingest\"}")
                        .statusCode())
                .isEqualTo(400);
    }

    @Test
    void refreshRotatesAndLogoutEndsTheSession() throws Exception {
        Browser b = new Browser();
        b.login("admin", adminPassword);
        String oldSession = cookie(b, "rb_session");
        HttpResponse<String> refreshed = b.send("POST", "/api/auth/refresh", null);
        assertThat(refreshed.statusCode()).isEqualTo(200);
        b.csrf = json(refreshed).path("csrf_token").asText();
        assertThat(cookie(b, "rb_session")).isNotEqualTo(oldSession);
        assertThat(b.send("GET", "/api/auth/me", null).statusCode()).isEqualTo(200);

        Browser stale = new Browser();
        stale.cookies.getCookieStore().add(URI.create(base), withPath(new HttpCookie("rb_session", oldSession)));
        assertThat(stale.send("GET", "/api/auth/me", null).statusCode()).isEqualTo(401);

        assertThat(b.send("POST", "/api/auth/logout", null).statusCode()).isEqualTo(204);
        assertThat(b.send("GET", "/api/auth/me", null).statusCode()).isEqualTo(401);
    }

    @Test
    void passwordChangeClearsTheMustChangeFlag() throws Exception {
        Browser admin = new Browser();
        admin.login("admin", adminPassword);
        admin.send(
                "POST", "/api/users", "{\"username\":\"newbie\",\"password\":\"first-pass-1\",\"role\":\"analyst\"}");
        Browser u = new Browser();
        u.login("newbie", "first-pass-1");
        assertThat(json(u.send("GET", "/api/auth/me", null))
                        .path("user")
                        .path("must_change_password")
                        .asBoolean())
                .isTrue();
        HttpResponse<String> wrong = u.send(
                "POST",
                "/api/auth/password",
                "{\"current_password\":\"nope-nope\",\"new_password\":\"second-pass-2\"}");
        assertThat(wrong.statusCode()).isEqualTo(400);
        assertThat(u.send(
                                "POST",
                                "/api/auth/password",
                                "{\"current_password\":\"first-pass-1\",\"new_password\":\"second-pass-2\"}")
                        .statusCode())
                .isEqualTo(204);
        assertThat(json(u.send("GET", "/api/auth/me", null))
                        .path("user")
                        .path("must_change_password")
                        .asBoolean())
                .isFalse();
        assertThat(new Browser().login("newbie", "second-pass-2").statusCode()).isEqualTo(200);
    }

    @Test
    void passwordGuessingIsRateLimitedWithRetryAfter() throws Exception {
        // From another loopback address, so this attacker's budget is not the other tests' budget.
        Browser b = new Browser(java.net.InetAddress.getByName("127.0.0.2"));
        int last = 0;
        HttpResponse<String> r = null;
        for (int i = 0; i < 12 && last != 429; i++) {
            r = b.send("POST", "/api/auth/login", "{\"email\":\"guess-target\",\"password\":\"guess-" + i + "\"}");
            last = r.statusCode();
        }
        assertThat(last).isEqualTo(429);
        assertThat(json(r).path("code").asText()).isEqualTo("RGP.RATE_LIMITED");
        assertThat(r.headers().firstValue("Retry-After")).isPresent();
    }

    @Test
    void badBodiesGetClearErrors() throws Exception {
        Browser b = new Browser();
        HttpResponse<String> notJson = b.send("POST", "/api/auth/login", "{not json");
        assertThat(notJson.statusCode()).isEqualTo(400);
        assertThat(json(notJson).path("code").asText()).isEqualTo("RGP.VALIDATION");
        HttpResponse<String> huge = b.send("POST", "/api/auth/login", "{\"email\":\"" + "a".repeat(100_000) + "\"}");
        assertThat(huge.statusCode()).isEqualTo(413);
        HttpResponse<String> deep = b.send("POST", "/api/auth/login", "[".repeat(10_000));
        assertThat(deep.statusCode()).isEqualTo(400);
        assertThat(b.send("GET", "/healthz", null).statusCode()).isEqualTo(200);
    }

    @Test
    void unknownRoutesAndMethodsAreProblemDocuments() throws Exception {
        Browser b = new Browser();
        HttpResponse<String> missing = b.send("GET", "/api/nothing-here", null);
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(json(missing).path("code").asText()).isEqualTo("RGP.NOT_FOUND");
        HttpResponse<String> method = b.send("PUT", "/api/auth/login", "{}");
        assertThat(method.statusCode()).isEqualTo(405);
    }

    @Test
    void metricsAreExposedForPrometheus() throws Exception {
        Browser b = new Browser();
        b.send("GET", "/healthz", null);
        HttpResponse<String> m = b.send("GET", "/metrics", null);
        assertThat(m.statusCode()).isEqualTo(200);
        assertThat(m.body()).contains("http_server_requests_seconds_count").contains("route=\"/healthz\"");
    }

    @Test
    void messagesInBucketChatRoomsAreJudgedForSpam() {
        var signer = new io.rustbucket.bucketchat.crypto.EventSigner(
                "promo@elsewhere", io.rustbucket.bucketchat.crypto.Ed25519.generate());
        try (var room = io.rustbucket.bucketchat.client.BucketChatClient.create(
                platform.core().store(),
                "lobby",
                "Lobby",
                "",
                signer,
                Clock.systemUTC(),
                io.rustbucket.bucketchat.client.BucketChatClient.Options.defaults())) {
            room.message("Пассивный доход без вложений, пишите в лс 💰💰💰💰💰💰 http://bit.ly/x", null);
            room.flush();
        }
        try (var guest = io.rustbucket.bucketchat.client.BucketChatClient.open(
                platform.core().store(),
                "lobby",
                new io.rustbucket.bucketchat.crypto.EventSigner(
                        "guest@elsewhere", io.rustbucket.bucketchat.crypto.Ed25519.generate()),
                Clock.systemUTC(),
                io.rustbucket.bucketchat.client.BucketChatClient.Options.defaults())) {
            guest.join();
            guest.message(
                    "Earn $500 a day from home!!! Passive income, DM me now 💰💰💰💰💰💰 http://bit.ly/xyz", null);
            guest.flush();
        }
        var spam =
                platform.system(io.rustbucket.alerts.Alerts.class).orElseThrow().spam();
        org.awaitility.Awaitility.await()
                .atMost(java.time.Duration.ofSeconds(15))
                .until(() -> spam.log().list("room:lobby", false, 10).size() == 2);
        var verdicts = spam.log().list("room:lobby", false, 10);
        // The room's creator is its admin: spared like a group owner. The guest's message is spam.
        assertThat(verdicts)
                .filteredOn(v -> v.userId().equals("promo@elsewhere"))
                .singleElement()
                .satisfies(v -> assertThat(v.checks()).extracting(c -> c.name()).contains("bypass"));
        assertThat(verdicts)
                .filteredOn(v -> v.userId().equals("guest@elsewhere"))
                .singleElement()
                .satisfies(v -> assertThat(v.spam()).isTrue());
    }

    @Test
    void responsesCarrySecurityHeaders() throws Exception {
        HttpResponse<String> r = new Browser().send("GET", "/healthz", null);
        assertThat(r.headers().firstValue("X-Content-Type-Options")).contains("nosniff");
        assertThat(r.headers().firstValue("X-Frame-Options")).contains("DENY");
        assertThat(r.headers().firstValue("Server")).isEmpty();
    }

    private String cookie(Browser b, String name) {
        return b.cookies.getCookieStore().getCookies().stream()
                .filter(c -> c.getName().equals(name))
                .reduce((a, c) -> c)
                .map(HttpCookie::getValue)
                .orElseThrow();
    }

    private static HttpCookie withPath(HttpCookie c) {
        c.setPath("/");
        c.setVersion(0);
        return c;
    }
}
