package io.rustbucket.registry;

import static io.rustbucket.registry.RegistryFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustbucket.core.testing.TestDatabase;
import io.rustbucket.registry.sensors.SensorStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The registry's whole path on PostgreSQL and MariaDB: migrations, the key race, a pinned pull, parsing (large
 * text, emoji and dedup included) and an analysis. Skipped locally without the servers; required in CI.
 */
class RegistryOnServersTest {
    static List<Arguments> servers() {
        return List.of(
                Arguments.of("postgresql", (Supplier<TestDatabase>) TestDatabase::postgres),
                Arguments.of("mariadb", (Supplier<TestDatabase>) TestDatabase::mysql));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void registrationPullParseAndAnalysis(String name, Supplier<TestDatabase> database) throws Exception {
        try (RegistryFixture f = new RegistryFixture(database.get(), Map.of("update_timeout_secs", 2))) {
            String key = f.newKey("race");
            List<Callable<Integer>> calls = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String n = "racer-" + i;
                calls.add(() -> f.register(RegistrationTest.legacy(n, key)).statusCode());
            }
            try (var pool = Executors.newFixedThreadPool(6)) {
                List<Integer> codes = new ArrayList<>();
                for (Future<Integer> c : pool.invokeAll(calls)) {
                    codes.add(c.get());
                }
                assertThat(codes).filteredOn(c -> c == 200).hasSize(1);
            }

            String sensorKey = f.newKey("db-sensor");
            try (FakeSensor fake = FakeSensor.https(sensorKey)) {
                String body = "{\"name\":\"db-sensor\",\"ip_address\":\"127.0.0.1\",\"operating_system\":\"linux\","
                        + "\"registration_key\":\"" + sensorKey + "\",\"mgmt_url\":\"" + fake.mgmtUrl()
                        + "\",\"mgmt_cert_sha256\":\"" + fake.fingerprint() + "\"}";
                String id = json(f.register(body)).path("id").asText();
                f.registry.sensors().setStatus(id, SensorStatus.ACTIVE, "test");
                fake.addEvents("db-sensor", "S", 5);
                fake.lines.add(FakeSensor.event("db-sensor", "S", "203.0.113.1", "command", "echo 🦀 ok"));
                fake.lines.add("x".repeat(300_000)); // a long bad line: kept cut, its object text stays whole
                fake.pageLines = 3;
                assertThat(f.registry.runJob(Registry.Job.PULL_UPDATES).summary())
                        .startsWith("1 sensors, 1 ok");
                assertThat(f.registry.runJob(Registry.Job.PULL_LOGS).summary()).startsWith("1 sensors, 1 ok");
                assertThat(f.registry.runJob(Registry.Job.PARSE).summary()).contains("events=6", "invalid=1");
                assertThat(f.registry.runJob(Registry.Job.PARSE).summary()).contains("objects=0");
                String emoji = f.core.database()
                        .withHandle(h -> h.createQuery("SELECT input FROM sensor_events WHERE input LIKE 'echo%'")
                                .mapTo(String.class)
                                .one());
                assertThat(emoji).isEqualTo("echo 🦀 ok");
                long longest = f.core.database()
                        .withHandle(h -> h.createQuery("SELECT log FROM logs").mapTo(String.class).list().stream()
                                .mapToLong(String::length)
                                .max()
                                .orElse(0));
                assertThat(longest).isGreaterThan(300_000);
                assertThat(f.registry.runJob(Registry.Job.ANALYZE).summary()).contains("analysed=1");
                assertThat(f.registry.analyst().list(id, 1).get(0).text()).contains("6 events in 1 sessions");
            }
        }
    }
}
