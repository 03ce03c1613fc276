package io.rustbucket.registry;

import static io.rustbucket.registry.RegistryFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.testing.TestDatabase;
import java.net.http.HttpResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/** Registration on both paths and both body generations, every error answer of the spec, and the keys API. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class RegistrationTest {
    RegistryFixture f;

    @BeforeAll
    void start() throws Exception {
        f = new RegistryFixture(TestDatabase.h2(), Map.of("sensor_bucket", "honeylogs", "sensor_region", "eu-west-1"));
    }

    @AfterAll
    void stop() {
        f.close();
    }

    static String legacy(String name, String key) {
        return "{\"name\":\"" + name + "\",\"ip_address\":\"198.51.100.20\",\"operating_system\":\"linux (x86_64)\","
                + "\"token\":\"" + key + "\"}";
    }

    @Test
    void legacySensorBodyWithTokenRegistersInReview() throws Exception {
        String key = f.newKey("legacy");
        HttpResponse<String> r = f.register(legacy("old-sensor", key));
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode j = json(r);
        assertThat(j.path("status").asText()).isEqualTo("success");
        assertThat(j.path("id").asText()).matches("BKT[0-9A-Z]{20}");
        assertThat(j.path("s3_config").path("bucket").asText()).isEqualTo("honeylogs");
        assertThat(j.path("s3_config").path("region").asText()).isEqualTo("eu-west-1");
        assertThat(f.registry
                        .sensors()
                        .find(j.path("id").asText())
                        .orElseThrow()
                        .status()
                        .label())
                .isEqualTo("Review");
    }

    @Test
    void fullBodyWithRegistrationKeyOnTheNewerPathRegistersAndKeepsEveryField() throws Exception {
        String key = f.newKey("full");
        String body = "{\"name\":\"edge-1\",\"ip_address\":\"2001:db8::7\",\"operating_system\":\"linux (aarch64)\","
                + "\"registration_key\":\"" + key + "\",\"cpu_usage\":\"3.5%\",\"memory_usage\":\"41.0%\","
                + "\"disk_space\":\"12.0/40.0 GB free\",\"uptime\":\"2d 3h 4m\",\"connections\":\"17\","
                + "\"s3_bucket_name\":\"own-bucket\",\"s3_region\":\"us-east-2\",\"s3_prefix\":\"edge/\","
                + "\"mgmt_url\":\"https://203.0.113.9:8443\",\"mgmt_cert_sha256\":\"" + "ab".repeat(32) + "\"}";
        HttpResponse<String> r = f.send("POST", "/api/register/", body, null);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        JsonNode j = json(r);
        assertThat(j.path("s3_config").path("bucket").asText()).isEqualTo("own-bucket");
        assertThat(j.path("s3_config").path("prefix").asText()).isEqualTo("edge/");
        var s = f.registry.sensors().find(j.path("id").asText()).orElseThrow();
        assertThat(s.ipAddress()).isEqualTo("2001:db8::7");
        assertThat(s.metrics().connections()).isEqualTo("17");
        assertThat(s.mgmtUrl()).isEqualTo("https://203.0.113.9:8443");
        assertThat(s.pinned()).isTrue();
        assertThat(f.registry.sensors().pollKey(s.id())).isEqualTo(key);
    }

    @Test
    void reRegistrationBySameSensorIsIdempotentAndAnyOtherReuseIsRefused() throws Exception {
        String key = f.newKey("reuse");
        String id = json(f.register(legacy("twice", key))).path("id").asText();
        HttpResponse<String> again = f.register(legacy("twice", key).replace("198.51.100.20", "198.51.100.21"));
        assertThat(again.statusCode()).isEqualTo(200);
        assertThat(json(again).path("id").asText()).isEqualTo(id);
        assertThat(f.registry.sensors().find(id).orElseThrow().ipAddress()).isEqualTo("198.51.100.21");
        HttpResponse<String> other = f.register(legacy("someone-else", key));
        assertThat(other.statusCode()).isEqualTo(401);
        assertThat(other.body()).isEqualTo("{\"error\":\"Invalid or expired registration key\"}");
    }

    @Test
    void oneKeyRacedByTwoSensorsHasExactlyOneWinner() throws Exception {
        for (int round = 0; round < 5; round++) {
            String key = f.newKey("race-" + round);
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                String name = "racer-" + round + "-" + i;
                calls.add(() -> f.register(legacy(name, key)).statusCode());
            }
            try (var pool = Executors.newFixedThreadPool(8)) {
                List<Integer> codes = new ArrayList<>();
                for (Future<Integer> fu : pool.invokeAll(calls)) {
                    codes.add(fu.get());
                }
                assertThat(codes).filteredOn(c -> c == 200).hasSize(1);
                assertThat(codes).filteredOn(c -> c == 401).hasSize(7);
            }
        }
    }

    @Test
    void everyErrorAnswerOfTheSpec() throws Exception {
        String key = f.newKey("errors");
        assertError(f.register("{not json"), 400, "Invalid JSON");
        assertError(f.register("[1,2]"), 400, "Invalid JSON");
        assertError(f.register(""), 400, "Invalid JSON");
        assertError(
                f.register("{\"ip_address\":\"1.2.3.4\",\"operating_system\":\"l\",\"token\":\"x\"}"),
                400,
                "Missing required field: name");
        assertError(
                f.register("{\"name\":\"n\",\"operating_system\":\"l\",\"token\":\"x\"}"),
                400,
                "Missing required field: ip_address");
        assertError(
                f.register("{\"name\":\"n\",\"ip_address\":\"1.2.3.4\",\"token\":\"x\"}"),
                400,
                "Missing required field: operating_system");
        assertError(
                f.register("{\"name\":\"n\",\"ip_address\":\"1.2.3.4\",\"operating_system\":\"l\"}"),
                400,
                "Missing required field: registration_key");
        for (String bad : List.of("256.1.1.1", "example.com", "1.2.3", "localhost", "::g", "1.2.3.4 ")) {
            String body = legacy("n", key).replace("198.51.100.20", bad);
            HttpResponse<String> r = f.register(body);
            if (bad.equals("1.2.3.4 ")) {
                continue; // surrounding spaces are stripped: this one is valid, checked below
            }
            assertError(r, 400, "Invalid IP address format");
        }
        assertError(f.register(legacy("n", "rbk_unknown")), 401, "Invalid or expired registration key");
        HttpResponse<String> get = f.send("GET", "/register_bucket", null, null);
        assertThat(get.statusCode()).isEqualTo(405);
        assertThat(json(get).path("error").asText()).isEqualTo("Method not allowed");
        assertThat(f.send("PUT", "/api/register/", "{}", null).statusCode()).isEqualTo(405);
        String huge = "{\"name\":\"" + "x".repeat(70_000) + "\"}";
        HttpResponse<String> big = f.register(huge);
        assertThat(big.statusCode()).isEqualTo(413);
        assertThat(json(big).has("error")).isTrue();
        assertError(
                f.register(legacy("n", key).replace("\"token\"", "\"cpu_usage\":\"" + "9".repeat(11) + "\",\"token\"")),
                400,
                "Invalid field: cpu_usage has at most 10 characters");
        assertError(
                f.register(legacy("n", key).replace("\"token\"", "\"name2\":1,\"connections\":{\"a\":1},\"token\"")),
                400,
                "Invalid field: connections must be a string");
    }

    @Test
    void revokedAndExpiredKeysAreRefusedAndNoBodyFieldSkipsTheKeyCheck() throws Exception {
        JsonNode issued = json(f.send("POST", "/api/registration-keys", "{\"name\":\"to-revoke\"}", f.adminToken));
        String revoked = issued.path("key").asText();
        String id = issued.path("id").asText();
        assertThat(f.send("DELETE", "/api/registration-keys/" + id, null, f.adminToken)
                        .statusCode())
                .isEqualTo(204);
        assertError(f.register(legacy("late", revoked)), 401, "Invalid or expired registration key");
        HttpResponse<String> exp =
                f.send("POST", "/api/registration-keys", "{\"name\":\"short\",\"expires_in_days\":1}", f.adminToken);
        String expiring = json(exp).path("key").asText();
        f.clock.advance(java.time.Duration.ofDays(2));
        try {
            assertError(f.register(legacy("too-late", expiring)), 401, "Invalid or expired registration key");
        } finally {
            f.clock.advance(java.time.Duration.ofDays(-2));
        }
        for (String extra : List.of("\"test\":true", "\"skip_validation\":true", "\"debug\":\"1\"", "\"admin\":true")) {
            String body = legacy("sneaky", "").replace("\"token\":\"\"", extra);
            assertThat(f.register(body).statusCode()).isEqualTo(400);
            assertThat(f.register(legacy("sneaky", "wrong").replace("\"token\"", extra + ",\"token\""))
                            .statusCode())
                    .isEqualTo(401);
        }
    }

    @Test
    void keysApiIsAdminOnlyShowsTheKeyOnceAndNeverItsHash() throws Exception {
        assertThat(f.send("POST", "/api/registration-keys", "{\"name\":\"x\"}", null)
                        .statusCode())
                .isEqualTo(401);
        assertThat(f.send("POST", "/api/registration-keys", "{\"name\":\"x\"}", f.viewerToken)
                        .statusCode())
                .isEqualTo(403);
        assertThat(f.send("GET", "/api/registration-keys", null, f.viewerToken).statusCode())
                .isEqualTo(403);
        assertThat(f.send("POST", "/api/registration-keys", "{\"name\":\"\"}", f.adminToken)
                        .statusCode())
                .isEqualTo(400);
        assertThat(f.send("POST", "/api/registration-keys", "{\"name\":\"a\",\"expires_in_days\":0}", f.adminToken)
                        .statusCode())
                .isEqualTo(400);
        HttpResponse<String> created = f.send(
                "POST", "/api/registration-keys", "{\"name\":\"shown-once\",\"expires_in_days\":30}", f.adminToken);
        assertThat(created.statusCode()).isEqualTo(201);
        JsonNode c = json(created);
        assertThat(c.path("key").asText()).startsWith("rbk_").hasSizeGreaterThanOrEqualTo(4 + 43);
        assertThat(c.path("expires_at").asText()).isNotEmpty();
        String list =
                f.send("GET", "/api/registration-keys", null, f.adminToken).body();
        assertThat(list)
                .contains("shown-once")
                .doesNotContain(c.path("key").asText())
                .doesNotContain("key_hash");
        assertThat(f.send("DELETE", "/api/registration-keys/nope", null, f.adminToken)
                        .statusCode())
                .isEqualTo(404);
    }

    @Test
    void sensorsApiListsDetailsChangesStatusWithAuditAndDeletes() throws Exception {
        String key = f.newKey("fleet");
        String id = json(f.register(legacy("fleet-1", key))).path("id").asText();
        assertThat(f.send("GET", "/api/sensors", null, null).statusCode()).isEqualTo(401);
        assertThat(f.send("GET", "/api/sensors?status=Review", null, f.viewerToken)
                        .body())
                .contains(id);
        assertThat(f.send("PUT", "/api/sensors/" + id + "/status", "{\"status\":\"Active\"}", f.viewerToken)
                        .statusCode())
                .isEqualTo(403);
        assertThat(f.send("PUT", "/api/sensors/" + id + "/status", "{\"status\":\"Gone\"}", f.adminToken)
                        .statusCode())
                .isEqualTo(400);
        f.clock.advance(java.time.Duration.ofSeconds(1));
        HttpResponse<String> changed =
                f.send("PUT", "/api/sensors/" + id + "/status", "{\"status\":\"Active\"}", f.adminToken);
        assertThat(changed.statusCode()).as(changed.body()).isEqualTo(200);
        assertThat(json(changed).path("sensor").path("status").asText()).isEqualTo("Active");
        JsonNode detail = json(f.send("GET", "/api/sensors/" + id, null, f.viewerToken));
        assertThat(detail.path("status_history").get(0).path("new_status").asText())
                .isEqualTo("Active");
        assertThat(detail.path("status_history").get(0).path("actor").asText()).isEqualTo("root-admin");
        assertThat(detail.path("status_history").get(1).path("new_status").asText())
                .isEqualTo("Review");
        assertThat(detail.toString()).doesNotContain(key).doesNotContain("poll_secret");
        long audited = f.core.database()
                .withHandle(h -> h.createQuery(
                                "SELECT COUNT(*) FROM audit_log WHERE action = 'registry.sensor_status' AND target = :id")
                        .bind("id", id)
                        .mapTo(Long.class)
                        .one());
        assertThat(audited).isEqualTo(1);
        assertThat(f.send("DELETE", "/api/sensors/" + id, null, f.adminToken).statusCode())
                .isEqualTo(204);
        assertThat(f.send("GET", "/api/sensors/" + id, null, f.viewerToken).statusCode())
                .isEqualTo(404);
        assertThat(f.register(legacy("fleet-1", key)).statusCode()).isEqualTo(401); // its key went with it
    }

    private static void assertError(HttpResponse<String> r, int status, String message) throws Exception {
        assertThat(r.statusCode()).as(r.body()).isEqualTo(status);
        assertThat(json(r).path("error").asText()).isEqualTo(message);
    }
}
