package io.rustbucket.app;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustbucket.core.auth.PasswordHasher;
import io.rustbucket.logs.LogPlatform;
import io.rustbucket.logs.index.LogQuery;
import io.rustbucket.registry.Registry;
import io.rustbucket.registry.sensors.RegisteredSensor;
import io.rustbucket.registry.sensors.SensorStatus;
import io.rustbucket.sensor.Sensor;
import io.rustbucket.sensor.SensorConfig;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Our sensor against our registry, both real: it registers over HTTP with a key, the registry polls its status
 * and pulls its logs over the pinned HTTPS management port, parses them into SQL, and the log platform makes them
 * searchable.
 */
class RegistryEndToEndTest {
    @TempDir
    Path data;

    @TempDir
    Path sensorData;

    @Test
    void ourSensorRegistersAndItsLogsArePulledParsedAndSearchable() throws Exception {
        Map<String, String> sets = new HashMap<>(Map.of(
                "platform.data_dir", data.toString(),
                "platform.port", "0",
                "registry.auto_approve", "true"));
        RustbucketConfig config = RustbucketConfig.load(null, Map.of(), sets);
        try (Platform platform = Platform.start(
                config,
                Map.of(),
                new PasswordHasher(1024, 1),
                Clock.systemUTC(),
                java.util.EnumSet.of(Platform.Part.LOGS, Platform.Part.REGISTRY))) {
            Registry registry = platform.system(Registry.class).orElseThrow();
            String key = registry.keys().create("test", "edge-e2e", 1).key();
            Map<String, String> s = new HashMap<>();
            s.put("aws.app_id", "edge-e2e");
            s.put("general.data_directory", sensorData.toString());
            for (String service : List.of("ftp", "telnet", "smtp", "http", "ssh")) {
                s.put("ports." + service + ".port", "0");
            }
            s.put("management.port", "0");
            s.put(
                    "registration.rustbucket_registry_url",
                    "http://127.0.0.1:" + platform.httpPort() + "/register_bucket");
            s.put("registration.registration_key", key);
            SensorConfig sc = SensorConfig.load(Optional.empty(), Map.of(), s);
            try (Sensor sensor = Sensor.start(sc, Sensor.Shared.none(), Map.of(), Clock.systemUTC())) {
                await().atMost(Duration.ofSeconds(20))
                        .until(() -> !registry.sensors().list().isEmpty());
                RegisteredSensor reg = registry.sensors().list().get(0);
                assertThat(reg.name()).isEqualTo("edge-e2e");
                assertThat(reg.status()).isEqualTo(SensorStatus.ACTIVE);
                assertThat(reg.pinned()).isTrue();
                assertThat(reg.mgmtCertSha256()).isEqualTo(sensor.managementFingerprint());

                attack(sensor.ports().get("telnet"));
                await().atMost(Duration.ofSeconds(5))
                        .until(() -> sensor.collector().written() > 0);

                assertThat(registry.runJob(Registry.Job.PULL_UPDATES).summary()).startsWith("1 sensors, 1 ok");
                assertThat(registry.runJob(Registry.Job.PULL_LOGS).summary()).startsWith("1 sensors, 1 ok");
                String parsed = registry.runJob(Registry.Job.PARSE).summary();
                assertThat(parsed).doesNotContain("events=0");
                long commands = platform.core()
                        .database()
                        .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sensor_events WHERE action = 'command' "
                                        + "AND input = 'uname -a'")
                                .mapTo(Long.class)
                                .one());
                assertThat(commands).isEqualTo(1);
                LogPlatform logs = platform.system(LogPlatform.class).orElseThrow();
                await().atMost(Duration.ofSeconds(10))
                        .untilAsserted(() -> assertThat(logs.search(new LogQuery(
                                                "", Map.of("observer.name", "edge-e2e"), null, null, 100, null))
                                        .hits())
                                .anySatisfy(h -> assertThat(h.toString()).contains("uname -a")));
            }
        }
    }

    private static void attack(int telnetPort) throws Exception {
        try (Socket s = new Socket("127.0.0.1", telnetPort)) {
            s.setSoTimeout(5000);
            InputStream in = s.getInputStream();
            var out = s.getOutputStream();
            in.readNBytes(12);
            out.write(new byte[] {(byte) 255, (byte) 252, 24});
            readUntil(in, "login: ");
            out.write("root\r\n".getBytes(StandardCharsets.US_ASCII));
            readUntil(in, "Password: ");
            out.write("e2e-password\r\n".getBytes(StandardCharsets.US_ASCII));
            readUntil(in, "# ");
            out.write("uname -a\r\nexit\r\n".getBytes(StandardCharsets.US_ASCII));
            readUntil(in, "logout");
        }
    }

    private static void readUntil(InputStream in, String marker) throws Exception {
        StringBuilder b = new StringBuilder();
        while (!b.toString().contains(marker)) {
            int c = in.read();
            if (c < 0) {
                throw new AssertionError("closed before " + marker + ": " + b);
            }
            b.append((char) c);
        }
    }
}
