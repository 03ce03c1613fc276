package io.rustbucket.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustbucket.core.json.Json;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mail the sensor captures reaches the spam filter through the log platform, as in up. */
class CapturedMailTest {
    @Test
    void capturedMailIsJudgedAsItIsIndexed() throws Exception {
        try (AlertsFixture f = new AlertsFixture(Map.of())) {
            Map<String, Object> e = new LinkedHashMap<>();
            e.put("@timestamp", Instant.now().toString());
            e.put("service.name", "sensor");
            e.put("event.action", "mail.message");
            e.put("observer.name", "trap-1");
            e.put("source.ip", "203.0.113.25");
            e.put("message", "mail from <x@y.test> to [a@b.test], 200 bytes");
            e.put(
                    "honeypot.input",
                    "From: x@y.test\r\nTo: a@b.test\r\nSubject: Passive income without investment!!!\r\n\r\n"
                            + "Earn $500 a day from home, DM me now 💰💰💰💰💰💰 http://bit.ly/xyz\r\n");
            Map<String, Object> other = new LinkedHashMap<>(e);
            other.put("event.action", "command"); // not mail: ignored
            f.logs.ingest(
                    (Json.write(e) + "\n" + Json.write(other) + "\n").getBytes(StandardCharsets.UTF_8),
                    "application/x-ndjson");
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> f.alerts.capturedMail().judged() == 1);
            var verdicts = f.alerts.spam().log().list("sensor-mail:trap-1", false, 10);
            assertThat(verdicts).singleElement().satisfies(v -> {
                assertThat(v.spam()).isTrue();
                assertThat(v.userId()).isEqualTo("203.0.113.25");
                assertThat(v.text())
                        .startsWith("Passive income without investment!!!")
                        .doesNotContain("To: a@b.test");
            });
        }
    }
}
