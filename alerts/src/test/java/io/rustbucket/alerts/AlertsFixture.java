package io.rustbucket.alerts;

import io.rustbucket.alerts.monitor.SensorWatch;
import io.rustbucket.core.auth.AuthConfig;
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
import io.rustbucket.core.testing.TestClock;
import io.rustbucket.core.testing.TestDatabase;
import io.rustbucket.logs.LogPlatform;
import io.rustbucket.logs.LogsConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** The alerts system on a real database, a real Lucene log platform and a real HTTP server, with three tokens. */
final class AlertsFixture implements AutoCloseable {
    final TestDatabase db;
    final TestClock clock = new TestClock(Instant.now().truncatedTo(ChronoUnit.MILLIS));
    final Path data;
    final CoreServices core;
    final LogPlatform logs;
    final Alerts alerts;
    final ApiServer http;
    final String base;
    final String adminToken;
    final String analystToken;
    final String viewerToken;
    final HttpClient client = HttpClient.newHttpClient();

    AlertsFixture(TestDatabase db, Map<String, Object> config, LlmConfig llm, SensorWatch sensors) throws Exception {
        this.db = db;
        this.data = Files.createTempDirectory("rb-alerts");
        core = CoreServices.open(
                data,
                db.config(),
                StoreConfig.defaults(),
                AuthConfig.defaults(),
                llm,
                Map.of(),
                new PasswordHasher(1024, 1),
                clock);
        logs = LogPlatform.start(core, LogsConfig.defaults());
        alerts = Alerts.unscheduled(core, config(config), logs, sensors, "http://console.test");
        http = ApiServer.start(
                "127.0.0.1",
                0,
                HttpLimits.defaults(),
                core.readiness(),
                core.metrics(),
                List.of(core.authRoutes(), logs.routes(), alerts.routes()));
        base = "http://127.0.0.1:" + http.port();
        adminToken = token("root-admin", Role.ADMIN, Scope.ADMIN);
        core.accounts().create("hunter", null, null, "hunter-pass-123", Set.of(Role.ANALYST), false);
        analystToken = signIn("hunter", "hunter-pass-123");
        viewerToken = token("watcher", Role.VIEWER, Scope.READ);
    }

    AlertsFixture(Map<String, Object> config) throws Exception {
        this(TestDatabase.h2(), config, LlmConfig.defaults(), SensorWatch.NONE);
    }

    private String token(String name, Role role, Scope scope) {
        User u = core.accounts().create(name, null, null, name + "-pass-123", Set.of(role), false);
        return core.tokens().create(u, "t", scope, null).token();
    }

    /** Signs in over HTTP; the answer is used like a token by {@link #send} (session cookie plus CSRF header). */
    String signIn(String user, String password) throws Exception {
        var s = io.rustbucket.core.testing.TestSessions.signIn(client, base, user, password);
        return "session:" + s.cookieHeader() + "|" + s.csrf();
    }

    /** A configuration from {@code [alerts]} keys, as a TOML table would give them. */
    static AlertsConfig config(Map<String, Object> keys) {
        return Json.mapper().convertValue(new LinkedHashMap<>(keys), AlertsConfig.class);
    }

    HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null && token.startsWith("session:")) {
            String[] parts = token.substring("session:".length()).split("\\|", 2);
            b.header("Cookie", parts[0]).header("X-CSRF-TOKEN", parts[1]);
        } else if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() {
        http.close();
        alerts.close();
        logs.close();
        core.close();
        db.close();
    }
}
