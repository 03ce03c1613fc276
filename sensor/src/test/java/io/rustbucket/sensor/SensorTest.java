package io.rustbucket.sensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustbucket.sensor.record.SensorEvent;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The whole sensor as {@code ./rustbucket sensor} starts it, attacked with garbage on every port. */
class SensorTest {
    static final List<String> SERVICES = List.of("ftp", "telnet", "smtp", "http", "ssh");

    @TempDir
    Path dir;

    Sensor sensor;
    final List<SensorEvent> events = new CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        Map<String, String> sets = new HashMap<>();
        SERVICES.forEach(s -> sets.put("ports." + s + ".port", "0"));
        sets.put("management.port", "0");
        sets.put("general.data_directory", dir.toString());
        sets.put("general.bind", "127.0.0.1");
        sets.put("limits.idle_timeout_secs", "5");
        sets.put("limits.pre_auth_timeout_secs", "5");
        SensorConfig config = SensorConfig.load(Optional.empty(), Map.of(), sets);
        sensor = Sensor.start(
                config,
                new Sensor.Shared(Optional.empty(), Optional.empty(), events::add),
                Map.of(),
                Clock.systemUTC());
    }

    @AfterEach
    void stop() {
        sensor.close();
    }

    /** Sends the bytes and waits for the sensor to end the session; true when it did within the deadline. */
    static boolean endsSession(int port, byte[] attack) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(15_000);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    s.getOutputStream().write(attack);
                    s.getOutputStream().flush();
                } catch (Exception closedByTheSensor) {
                    // expected when the sensor stops reading
                }
            });
            InputStream in = s.getInputStream();
            try {
                while (in.read() >= 0) {}
            } catch (java.net.SocketException reset) {
                // closed with unread input
            }
            writer.join(5000);
            return true;
        } catch (java.net.SocketTimeoutException e) {
            return false;
        }
    }

    static String firstBytes(int port) throws Exception {
        try (Socket s = new Socket(InetAddress.getLoopbackAddress(), port)) {
            s.setSoTimeout(5000);
            byte[] b = new byte[64];
            int n = s.getInputStream().read(b);
            return new String(b, 0, Math.max(n, 0), StandardCharsets.ISO_8859_1);
        }
    }

    @Test
    void garbageOnEveryPortEndsOnlyThatSession() throws Exception {
        Random random = new Random(42);
        byte[] noise = new byte[64 * 1024];
        random.nextBytes(noise);
        byte[] invalidUtf8 = new byte[4096];
        for (int i = 0; i < invalidUtf8.length; i++) {
            invalidUtf8[i] = (byte) (i % 7 == 6 ? '\n' : 0xC3 + (i % 3) * 0x20); // lone lead bytes, bad sequences
        }
        byte[] hugeLine = "A".repeat(1 << 20).getBytes(StandardCharsets.US_ASCII);
        Map<String, Integer> ports = sensor.ports();
        for (String service : SERVICES) {
            int port = ports.get(service);
            assertThat(endsSession(port, noise)).as(service + " random bytes").isTrue();
            assertThat(endsSession(port, hugeLine)).as(service + " 1 MB line").isTrue();
            endsSession(port, invalidUtf8); // ends by error count, limit or idle timeout: all are fine here
        }
        // every listener still serves the next client
        assertThat(firstBytes(ports.get("ftp"))).startsWith("220 (vsFTPd 3.0.3)");
        assertThat(firstBytes(ports.get("smtp"))).startsWith("220 mail.example.com ESMTP Postfix");
        assertThat(firstBytes(ports.get("ssh"))).startsWith("SSH-2.0-OpenSSH_8.9p1");
        assertThat(firstBytes(ports.get("telnet")).charAt(0)).isEqualTo((char) 255);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> events.stream()
                                .filter(e ->
                                        "connection.close".equals(e.fields().get("event.action")))
                                .map(e -> e.fields().get("network.protocol"))
                                .distinct()
                                .count()
                        == SERVICES.size());
        // and the events reached the log file, one JSON object per line
        await().until(() -> sensor.collector().written() >= events.size() - 5);
        try (var files = Files.list(dir.resolve("logs"))) {
            Path log = files.findFirst().orElseThrow();
            assertThat(Files.readAllLines(log))
                    .allSatisfy(
                            l -> assertThat(l).startsWith("{\"@timestamp\":").endsWith("}"));
        }
    }

    @Test
    void managementPathsOnTheHoneypotPortNeedTheKey() throws Exception {
        String key = Files.readString(dir.resolve("management-key")).strip();
        var http = java.net.http.HttpClient.newHttpClient();
        String base = "http://127.0.0.1:" + sensor.ports().get("http");
        var without = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/update_bucket"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(without.statusCode()).isEqualTo(404);
        assertThat(without.body()).contains("nginx/1.18.0 (Ubuntu)");
        var with = http.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(base + "/update_bucket"))
                        .header("Authorization", "Token " + key)
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(with.statusCode()).isEqualTo(200);
        assertThat(with.body()).contains("\"status\":\"ok\"").contains("\"updates\"");
    }
}
