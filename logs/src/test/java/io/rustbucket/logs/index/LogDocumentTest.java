package io.rustbucket.logs.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustbucket.core.json.Json;
import io.rustbucket.logs.ecs.EcsNormalizer;
import io.rustbucket.logs.ecs.LogEvent;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class LogDocumentTest {
    static final Instant NOW = Instant.parse("2026-12-05T01:00:00Z");

    static LogEvent event(String json) throws Exception {
        return EcsNormalizer.normalize(Json.mapper().readTree(json), NOW);
    }

    static String written(LogEvent e) {
        return new String(LogDocument.json(e), StandardCharsets.UTF_8);
    }

    @Test
    void theWriterWritesTheSameBytesAsTheMap() throws Exception {
        List<String> events = List.of(
                "{\"message\":\"plain\"}",
                "{\"@timestamp\":\"2026-12-04T23:59:59.123Z\",\"service.name\":\"sensor\",\"log.level\":\"warn\","
                        + "\"message\":\"quote \\\" backslash \\\\ tab \\t nul \\u0000 é ✓ 🐝\",\"trace.id\":\"t-1\","
                        + "\"event\":{\"id\":\"e-42\",\"action\":\"login\"},\"source\":{\"ip\":\"203.0.113.9\","
                        + "\"port\":2222},\"labels\":{\"env\":\"prod\",\"team\":\"blue\"},"
                        + "\"fields\":{\"n\":1,\"nested\":{\"a\":[1,2,\"x\"]}},\"unknown\":\"kept in fields\"}",
                "{\"message\":\"arrays and nulls\",\"network\":{\"protocol\":[\"ssh\",\"telnet\"],\"transport\":null},"
                        + "\"destination\":{\"port\":22}}",
                "{\"message\":\"labels only\",\"labels\":{\"k\":\"v \\u2028 line separator\"}}");
        for (String json : events) {
            LogEvent e = event(json);
            assertThat(written(e))
                    .as(json)
                    .isEqualTo(
                            new String(Json.mapper().writeValueAsBytes(LogDocument.source(e)), StandardCharsets.UTF_8));
        }
    }

    @Test
    void fieldsComeFixedFirstThenEcsAndAnEcsEventIdDoesNotRepeat() throws Exception {
        LogEvent e = event("{\"message\":\"m\",\"trace.id\":\"t\",\"event\":{\"id\":\"e-1\",\"action\":\"a\"},"
                + "\"labels\":{\"x\":\"y\"},\"fields\":{\"f\":1}}");
        Map<String, String> seen = new LinkedHashMap<>();
        List<String> names = new ArrayList<>();
        LogDocument.forEachField(e, (name, value) -> {
            names.add(name);
            seen.put(name, value);
        });
        assertThat(names)
                .containsExactly("event.id", "service.name", "log.level", "message", "trace.id", "event.action");
        assertThat(seen).containsEntry("event.id", "e-1").containsEntry("log.level", "INFO");
        assertThat(written(e)).contains("\"labels\":{\"x\":\"y\"}").endsWith(",\"fields\":{\"f\":1}}");
    }
}
