package io.rustbucket.sensor.manage;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import io.rustbucket.core.json.Json;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The registry client against a real HTTP server answering as the registry protocol says. */
class RegistryClientTest {
    @TempDir
    Path dir;

    HttpServer registry;
    final List<JsonNode> bodies = new CopyOnWriteArrayList<>();
    final AtomicInteger status = new AtomicInteger(200);
    String url;

    @BeforeEach
    void start() throws Exception {
        registry = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
        registry.createContext("/api/register/", ex -> {
            bodies.add(Json.mapper().readTree(ex.getRequestBody().readAllBytes()));
            byte[] body = (status.get() == 200
                            ? "{\"status\":\"success\",\"id\":\"BKT42\",\"s3_config\":{\"bucket\":\"b\",\"region\":\"eu-west-1\",\"prefix\":\"p/\"}}"
                            : "{\"error\":\"Invalid or expired registration key\"}")
                    .getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(status.get(), body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        registry.start();
        url = "http://127.0.0.1:" + registry.getAddress().getPort() + "/api/register/";
    }

    @AfterEach
    void stop() {
        registry.stop(0);
    }

    RegistryClient client(String key) {
        return new RegistryClient(
                url,
                key,
                dir,
                () -> Map.of(
                        "name",
                        "s1",
                        "ip_address",
                        "10.0.0.5",
                        "operating_system",
                        "linux (amd64)",
                        "mgmt_url",
                        "https://10.0.0.5:8443",
                        "mgmt_cert_sha256",
                        "ab12"));
    }

    @Test
    void registersWithBothKeyFieldsAndKeepsItsIdentity() throws Exception {
        RegistryClient c = client("key-1");
        assertThat(c.attempt()).isEqualTo(RegistryClient.Outcome.DONE);
        JsonNode sent = bodies.get(0);
        assertThat(sent.path("registration_key").asText()).isEqualTo("key-1");
        assertThat(sent.path("token").asText()).isEqualTo("key-1");
        assertThat(sent.path("mgmt_cert_sha256").asText()).isEqualTo("ab12");
        assertThat(c.registered()).hasValueSatisfying(r -> {
            assertThat(r.id()).isEqualTo("BKT42");
            assertThat(r.region()).isEqualTo("eu-west-1");
        });
        Path identity = dir.resolve("registration.json");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(identity)))
                .isEqualTo("rw-------");
        // a restart knows its id at once; another key is a new registration
        assertThat(client("key-1").registered())
                .map(RegistryClient.Registered::id)
                .hasValue("BKT42");
        assertThat(client("key-2").registered()).isEmpty();
    }

    @Test
    void refusalsAreRetriedOrGivenUpByKind() {
        status.set(401);
        RegistryClient c = client("bad");
        assertThat(c.attempt()).isEqualTo(RegistryClient.Outcome.RETRY);
        assertThat(c.lastError()).contains("401").contains("Invalid or expired registration key");
        status.set(400);
        assertThat(c.attempt()).isEqualTo(RegistryClient.Outcome.GIVE_UP);
        registry.stop(0);
        assertThat(c.attempt()).isEqualTo(RegistryClient.Outcome.RETRY);
        assertThat(c.lastError()).startsWith("registry unreachable");
    }
}
