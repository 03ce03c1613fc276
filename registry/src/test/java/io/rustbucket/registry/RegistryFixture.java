package io.rustbucket.registry;

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
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.core.store.StoreConfig;
import io.rustbucket.core.testing.TestClock;
import io.rustbucket.core.testing.TestDatabase;
import io.rustbucket.registry.parse.ParsedEventSink;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** A registry on a real database and a real HTTP server, with an admin and a viewer token. */
final class RegistryFixture implements AutoCloseable {
    final TestDatabase db;
    // Whole milliseconds, as the database stores them.
    final TestClock clock = new TestClock(Instant.now().truncatedTo(java.time.temporal.ChronoUnit.MILLIS));
    final Path data;
    final CoreServices core;
    final Registry registry;
    final ApiServer http;
    final String base;
    final String adminToken;
    final String viewerToken;
    final HttpClient client = HttpClient.newHttpClient();

    RegistryFixture(TestDatabase db, Map<String, Object> config, LlmConfig llm, ParsedEventSink sink) throws Exception {
        this.db = db;
        this.data = Files.createTempDirectory("rb-registry");
        core = CoreServices.open(
                data,
                db.config(),
                StoreConfig.defaults(),
                AuthConfig.defaults(),
                llm,
                Map.of(),
                new PasswordHasher(1024, 1),
                clock);
        registry = Registry.unscheduled(core, config(config), sink);
        http = ApiServer.start(
                "127.0.0.1",
                0,
                HttpLimits.defaults(),
                core.readiness(),
                core.metrics(),
                List.of(core.authRoutes(), registry.routes()));
        base = "http://127.0.0.1:" + http.port();
        User admin = core.accounts().create("root-admin", null, null, "admin-pass-123", Set.of(Role.ADMIN), false);
        User viewer = core.accounts().create("watcher", null, null, "viewer-pass-123", Set.of(Role.VIEWER), false);
        adminToken = core.tokens().create(admin, "t", Scope.ADMIN, null).token();
        viewerToken = core.tokens().create(viewer, "t", Scope.READ, null).token();
    }

    RegistryFixture(TestDatabase db, Map<String, Object> config) throws Exception {
        this(db, config, LlmConfig.defaults(), ParsedEventSink.NONE);
    }

    /** A configuration from {@code [registry]} keys, as a TOML table would give them. */
    static RegistryConfig config(Map<String, Object> keys) {
        return Json.mapper().convertValue(new LinkedHashMap<>(keys), RegistryConfig.class);
    }

    HttpResponse<String> send(String method, String path, String body, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path))
                .method(
                        method,
                        body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return client.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    HttpResponse<String> register(String body) throws Exception {
        return send("POST", "/register_bucket", body, null);
    }

    /** Issues a registration key through the admin API. */
    String newKey(String name) throws Exception {
        HttpResponse<String> r = send("POST", "/api/registration-keys", "{\"name\":\"" + name + "\"}", adminToken);
        if (r.statusCode() != 201) {
            throw new IllegalStateException(r.body());
        }
        return json(r).path("key").asText();
    }

    static JsonNode json(HttpResponse<String> r) throws Exception {
        return Json.mapper().readTree(r.body());
    }

    @Override
    public void close() {
        http.close();
        registry.close();
        core.close();
        db.close();
    }
}
