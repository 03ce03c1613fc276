package io.rustbucket.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustbucket.alerts.incident.Alert;
import io.rustbucket.alerts.incident.Condition;
import io.rustbucket.alerts.incident.Severity;
import io.rustbucket.alerts.monitor.SensorWatch;
import io.rustbucket.core.llm.LlmConfig;
import io.rustbucket.core.testing.TestDatabase;
import io.rustbucket.logs.index.LogQuery;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class AlertLifecycleTest {
    AlertsFixture f;

    @AfterEach
    void close() {
        if (f != null) {
            f.close();
        }
    }

    private void ingest(String level, int n) {
        StringBuilder ndjson = new StringBuilder();
        for (int i = 0; i < n; i++) {
            ndjson.append("{\"@timestamp\":\"")
                    .append(f.clock.instant())
                    .append("\",\"service.name\":\"api\",\"log.level\":\"")
                    .append(level)
                    .append("\",\"message\":\"failure ")
                    .append(level)
                    .append(' ')
                    .append(i)
                    .append("\"}\n");
        }
        f.logs.ingest(ndjson.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
    }

    private void awaitIndexed(long total) {
        await().atMost(Duration.ofSeconds(10))
                .until(() -> f.logs.search(new LogQuery("", Map.of("service.name", "api"), null, null, 1, null))
                                .total()
                        == total);
    }

    @Test
    void errorsInTheIndexOpenOneAlertWithTheRealCountAndResolveWhenTheWindowClears() throws Exception {
        f = new AlertsFixture(Map.of());
        ingest("error", 12); // lower case on purpose: levels are matched whatever their case
        ingest("Fatal", 1);
        ingest("warning", 4);
        awaitIndexed(17);

        List<Alert.Change> first = f.alerts.checkNow();
        assertThat(first).hasSize(1);
        Alert a = first.get(0).alert();
        assertThat(first.get(0).event()).isEqualTo(Alert.Event.OPENED);
        assertThat(a.kind()).isEqualTo("error-rate");
        assertThat(a.observed()).isEqualTo(13.0); // not capped at 10
        assertThat(a.severity()).isEqualTo(Severity.CRITICAL); // >= 10 x threshold 1
        assertThat(a.title()).contains("13 errors");

        // The same condition a minute later: the same alert, no new notice. Four warnings stay under 5.
        f.clock.advance(Duration.ofMinutes(1));
        assertThat(f.alerts.checkNow()).isEmpty();
        ingest("WARN", 1);
        awaitIndexed(18);
        List<Alert.Change> warn = f.alerts.checkNow();
        assertThat(warn).extracting(c -> c.alert().kind()).containsExactly("warn-rate");
        assertThat(warn.get(0).alert().observed()).isEqualTo(5.0);

        // The window moves past the events: both resolve by themselves.
        f.clock.advance(Duration.ofMinutes(3));
        List<Alert.Change> cleared = f.alerts.checkNow();
        assertThat(cleared).extracting(Alert.Change::event).containsOnly(Alert.Event.RESOLVED);
        assertThat(cleared).hasSize(2);
        assertThat(f.alerts.book().list("active", null, 10)).isEmpty();
        assertThat(f.alerts.book().list("resolved", null, 10))
                .allSatisfy(r -> assertThat(r.resolvedBy()).isEqualTo("monitor"));

        // Every change is also an event in the log index, at INFO so the level monitors never count it.
        await().atMost(Duration.ofSeconds(10))
                .until(() -> f.logs.search(new LogQuery("", Map.of("service.name", "alerts"), null, null, 10, null))
                                .total()
                        == 4);
        assertThat(f.logs.search(new LogQuery(
                                "", Map.of("service.name", "alerts", "log.level", "INFO"), null, null, 10, null))
                        .total())
                .isEqualTo(4);
    }

    @Test
    void aWorseConditionEscalatesOnceAndAFlapWithinTheCooldownReopensQuietly() throws Exception {
        f = new AlertsFixture(Map.of("monitors", Map.of("cooldown_minutes", 30)));
        var book = f.alerts.book();
        Duration cooldown = Duration.ofMinutes(30);
        Condition warn = new Condition("storage/disk", "disk", Severity.WARNING, "low", "d", 10);
        Condition crit = new Condition("storage/disk", "disk", Severity.CRITICAL, "very low", "d", 2);

        assertThat(book.observe("storage", List.of(warn), cooldown))
                .extracting(Alert.Change::event)
                .containsExactly(Alert.Event.OPENED);
        assertThat(book.observe("storage", List.of(warn), cooldown)).isEmpty();
        assertThat(book.observe("storage", List.of(crit), cooldown))
                .extracting(Alert.Change::event)
                .containsExactly(Alert.Event.ESCALATED);
        assertThat(book.observe("storage", List.of(crit), cooldown)).isEmpty();
        // Severity never drops while the incident lasts; it is one incident.
        assertThat(book.observe("storage", List.of(warn), cooldown)).isEmpty();
        assertThat(book.list(null, "disk", 10))
                .hasSize(1)
                .allSatisfy(a -> assertThat(a.severity()).isEqualTo(Severity.CRITICAL));

        assertThat(book.observe("storage", List.of(), cooldown))
                .extracting(Alert.Change::event)
                .containsExactly(Alert.Event.RESOLVED);
        f.clock.advance(Duration.ofMinutes(10));
        assertThat(book.observe("storage", List.of(warn), cooldown)).isEmpty(); // flap: reopened, no notice
        assertThat(book.list("active", "disk", 10)).hasSize(1);
        assertThat(book.observe("storage", List.of(), cooldown)).hasSize(1);

        f.clock.advance(Duration.ofMinutes(31));
        assertThat(book.observe("storage", List.of(warn), cooldown))
                .extracting(Alert.Change::event)
                .containsExactly(Alert.Event.OPENED); // past the cooldown: a new incident
        assertThat(book.list(null, "disk", 10)).hasSize(2);
    }

    @Test
    void unseenSensorsFromTheRegistryAlertPerSensorAndResolveWhenSeenAgain() throws Exception {
        List<SensorWatch.Unseen> unseen = new java.util.concurrent.CopyOnWriteArrayList<>();
        f = new AlertsFixture(TestDatabase.h2(), Map.of(), LlmConfig.defaults(), () -> List.copyOf(unseen));
        unseen.add(new SensorWatch.Unseen("s-1", "trap-1", f.clock.instant().minus(Duration.ofMinutes(20))));
        unseen.add(new SensorWatch.Unseen("s-2", "trap-2", null));
        List<Alert.Change> opened = f.alerts.checkNow();
        assertThat(opened)
                .extracting(c -> c.alert().ruleKey())
                .containsExactlyInAnyOrder("sensors/unseen/s-1", "sensors/unseen/s-2");
        assertThat(opened)
                .extracting(c -> c.alert().title())
                .containsExactlyInAnyOrder(
                        "sensor trap-1 not seen for 20 min", "sensor trap-2 not seen since it registered");
        unseen.removeIf(u -> u.sensorId().equals("s-1"));
        assertThat(f.alerts.checkNow())
                .extracting(c -> c.alert().ruleKey() + " " + c.event().id())
                .containsExactly("sensors/unseen/s-1 resolved");
    }

    @Test
    void peopleAcknowledgeAndResolveOverTheApiWithTheirRole() throws Exception {
        f = new AlertsFixture(Map.of());
        Alert a = f.alerts
                .book()
                .observe(
                        "health",
                        List.of(new Condition("health/part/db", "service-health", Severity.CRITICAL, "db down", "", 0)),
                        Duration.ofMinutes(30))
                .get(0)
                .alert();
        assertThat(f.send("POST", "/api/alerts/" + a.id() + "/acknowledge", "", f.viewerToken)
                        .statusCode())
                .isEqualTo(403);
        var ack = f.send("POST", "/api/alerts/" + a.id() + "/acknowledge", "", f.analystToken);
        assertThat(ack.statusCode()).isEqualTo(200);
        assertThat(ack.body()).contains("\"status\":\"acknowledged\"", "\"acknowledged_by\":\"hunter\"");
        var list = f.send("GET", "/api/alerts?status=active", null, f.viewerToken);
        assertThat(list.body()).contains(a.id());
        assertThat(f.send("GET", "/api/alerts?status=bogus", null, f.viewerToken)
                        .statusCode())
                .isEqualTo(400);
        var resolved = f.send("POST", "/api/alerts/" + a.id() + "/resolve", "", f.analystToken);
        assertThat(resolved.body()).contains("\"status\":\"resolved\"", "\"resolved_by\":\"hunter\"");
        assertThat(f.send("GET", "/api/alerts/nope", null, f.viewerToken).statusCode())
                .isEqualTo(404);
        assertThat(f.send("GET", "/api/alerts", null, null).statusCode()).isEqualTo(401);
    }
}
