package io.rustbucket.sensor.record;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.json.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogCollectorTest {
    @TempDir
    Path dir;

    static SensorEvent event(String at, EventAction action) {
        return SensorEvent.builder(action, Instant.parse(at), UUID.randomUUID().toString())
                .sensor("sensor-1")
                .session("s1", "telnet")
                .source("203.0.113.9", 51234)
                .destinationPort(2323)
                .input("cat /etc/passwd")
                .response("root:x:0:0:root:/root:/bin/bash", "emulator", 1)
                .build();
    }

    @Test
    void eventsGoToTheFileOfTheirUtcDayAsJsonLines() throws Exception {
        try (LogCollector c = new LogCollector(dir, 100)) {
            c.record(event("2026-05-05T23:59:59.999Z", EventAction.COMMAND));
            c.record(event("2026-05-06T00:00:00Z", EventAction.CONNECTION_CLOSE));
        }
        List<String> day1 = Files.readAllLines(LogCollector.fileFor(dir, LocalDate.parse("2026-05-05")));
        List<String> day2 = Files.readAllLines(LogCollector.fileFor(dir, LocalDate.parse("2026-05-06")));
        assertThat(day1).hasSize(1);
        assertThat(day2).hasSize(1);
        JsonNode e = Json.mapper().readTree(day1.getFirst());
        assertThat(e.path("event.action").asText()).isEqualTo("command");
        assertThat(e.path("source.ip").asText()).isEqualTo("203.0.113.9");
        assertThat(e.path("honeypot.responder").asText()).isEqualTo("emulator");
        assertThat(e.path("network.protocol").asText()).isEqualTo("telnet");
    }

    @Test
    void aFullQueueDropsAndCountsInsteadOfBlocking() throws Exception {
        LogCollector c = new LogCollector(dir, 2, false);
        assertThat(c.record(event("2026-05-05T10:00:00Z", EventAction.BANNER))).isTrue();
        assertThat(c.record(event("2026-05-05T10:00:01Z", EventAction.BANNER))).isTrue();
        assertThat(c.record(event("2026-05-05T10:00:02Z", EventAction.BANNER))).isFalse();
        assertThat(c.overflowed()).isEqualTo(1);
        c.start();
        c.close();
        assertThat(c.written()).isEqualTo(2);
    }

    @Test
    void aTornLastLineFromACrashStaysSeparate() throws Exception {
        Path file = LogCollector.fileFor(dir, LocalDate.parse("2026-05-05"));
        Files.writeString(file, "{\"event.action\":\"command\",\"half");
        try (LogCollector c = new LogCollector(dir, 10)) {
            c.record(event("2026-05-05T12:00:00Z", EventAction.COMMAND));
        }
        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0)).isEqualTo("{\"event.action\":\"command\",\"half");
        assertThat(Json.mapper().readTree(lines.get(1)).path("event.action").asText())
                .isEqualTo("command");
    }

    @Test
    void longAttackerValuesAreCutAndMarked() {
        SensorEvent e = SensorEvent.builder(EventAction.COMMAND, Instant.now(), "id")
                .input("A".repeat(100_000))
                .build();
        assertThat((String) e.fields().get("honeypot.input"))
                .hasSize(SensorEvent.MAX_VALUE_CHARS + "[...truncated]".length())
                .endsWith("[...truncated]");
    }

    @Test
    void catalogHoldsTheActionsOfTheSpec() {
        Set<String> ids = Stream.of(EventAction.values()).map(EventAction::id).collect(Collectors.toSet());
        // specs/sensor.md names these; the catalog may add more, never lose one
        assertThat(ids)
                .contains(
                        "connection.open",
                        "banner",
                        "login.attempt",
                        "command",
                        "http.request",
                        "mail.message",
                        "file.upload",
                        "connection.close");
        assertThat(EventAction.of("command")).contains(EventAction.COMMAND);
    }
}
