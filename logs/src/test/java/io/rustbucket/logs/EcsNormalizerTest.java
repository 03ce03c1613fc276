package io.rustbucket.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustbucket.core.json.Json;
import io.rustbucket.logs.ecs.EcsNormalizer;
import io.rustbucket.logs.ecs.InvalidEventException;
import io.rustbucket.logs.ecs.LogEvent;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class EcsNormalizerTest {
    static final Instant NOW = Instant.parse("2026-05-05T10:00:00Z");

    private static LogEvent norm(String json) throws Exception {
        return EcsNormalizer.normalize(Json.mapper().readTree(json), NOW);
    }

    @Test
    void nestedAndDottedFormsAreTheSameEvent() throws Exception {
        LogEvent nested = norm(
                "{\"service\":{\"name\":\"s\"},\"log\":{\"level\":\"warn\"},\"source\":{\"ip\":\"1.2.3.4\"},\"message\":\"m\"}");
        LogEvent dotted =
                norm("{\"service.name\":\"s\",\"log.level\":\"warn\",\"source.ip\":\"1.2.3.4\",\"message\":\"m\"}");
        assertThat(nested.service()).isEqualTo("s").isEqualTo(dotted.service());
        assertThat(nested.level()).isEqualTo("WARN").isEqualTo(dotted.level());
        assertThat(nested.ecs()).containsEntry("source.ip", "1.2.3.4").isEqualTo(dotted.ecs());
    }

    @Test
    void defaultsAreFilled() throws Exception {
        LogEvent e = norm("{}");
        assertThat(e.timestamp()).isEqualTo(NOW);
        assertThat(e.service()).isEqualTo("app");
        assertThat(e.level()).isEqualTo("INFO");
        assertThat(e.message()).isEmpty();
        assertThat(e.indexName()).isEqualTo("logs-app-2026.05.05");
    }

    @Test
    void idsAreDeterministicAndEventIdWins() throws Exception {
        assertThat(norm("{\"message\":\"a\",\"x\":1}").id())
                .isEqualTo(norm("{\"x\":1,\"message\":\"a\"}").id());
        assertThat(norm("{\"message\":\"a\"}").id())
                .isNotEqualTo(norm("{\"message\":\"b\"}").id());
        assertThat(norm("{\"event\":{\"id\":\"evt-1\"}}").id()).isEqualTo("evt-1");
        // Pinned (computed outside Java from the documented scheme): a changed id would index retries as new events.
        assertThat(norm("{\"message\":\"\u00fc a\",\"x\":1,\"labels\":{\"k\":\"v\"},\"n\":[1,\"1\",null,true]}")
                        .id())
                .isEqualTo("b3ac4a5c795367b2c1580ea7fce1f9b9d64f0905");
    }

    @Test
    void theQuickTimestampReaderAgreesWithTheGeneralParser() {
        java.util.Random r = new java.util.Random(7);
        List<String> samples = new java.util.ArrayList<>(List.of(
                "2026-05-05T10:00:00Z",
                "2026-05-05T10:00:00.5Z",
                "2026-05-05T10:00:00.123456789+05:30",
                "2026-05-05T23:59:59-00:00",
                "2026-12-31T23:30:00-18:00",
                "2024-02-29T00:00:00Z",
                "2026-02-29T00:00:00Z",
                "2026-13-01T00:00:00Z",
                "2026-05-05T24:00:00Z",
                "2026-05-05T10:00:60Z",
                "2026-05-05T10:00:00.Z",
                "2026-05-05T10:00:00.1234567890Z",
                "2026-05-05T10:00:00+18:30",
                "2026-05-05T10:00:00+05:61",
                "2026-05-05t10:00:00z",
                "2026-05-05T10:00Z",
                "+12026-05-05T10:00:00Z",
                "2026-05-05T10:00:00+0530",
                "2026-05-05T10:00:00"));
        for (int i = 0; i < 2000; i++) {
            String frac = switch (r.nextInt(4)) {
                case 0 -> "";
                case 1 -> "." + r.nextInt(10);
                case 2 -> "." + String.format("%03d", r.nextInt(1000));
                default -> "." + String.format("%09d", r.nextInt(1_000_000_000));
            };
            String offset = r.nextBoolean()
                    ? "Z"
                    : String.format("%s%02d:%02d", r.nextBoolean() ? "+" : "-", r.nextInt(19), r.nextInt(60));
            samples.add(String.format(
                    "%04d-%02d-%02dT%02d:%02d:%02d%s%s",
                    1 + r.nextInt(9999),
                    1 + r.nextInt(12),
                    1 + r.nextInt(31),
                    r.nextInt(24),
                    r.nextInt(60),
                    r.nextInt(60),
                    frac,
                    offset));
        }
        int quick = 0;
        for (String t : samples) {
            Instant fast = EcsNormalizer.rfc3339(t);
            Instant general;
            try {
                general = java.time.OffsetDateTime.parse(t).toInstant();
            } catch (java.time.format.DateTimeParseException refused) {
                general = null;
            }
            if (fast != null) { // what the quick reader accepts, the general parser reads the same
                quick++;
                assertThat(fast).as(t).isEqualTo(general);
            }
        }
        assertThat(quick).isGreaterThan(1500);
        assertThat(EcsNormalizer.rfc3339("2026-05-05T10:00:00.123456789+05:30"))
                .isEqualTo(Instant.parse("2026-05-05T04:30:00.123456789Z"));
    }

    @Test
    void timestampMustBeRfc3339Text() {
        assertThatThrownBy(() -> norm("{\"@timestamp\":1714900000}"))
                .isInstanceOf(InvalidEventException.class)
                .hasMessageContaining("not number");
        assertThatThrownBy(() -> norm("{\"@timestamp\":\"yesterday\"}")).hasMessageContaining("not RFC 3339");
    }

    @Test
    void timestampWithOffsetIsStoredInUtcAndPicksTheUtcDay() throws Exception {
        LogEvent e = norm("{\"@timestamp\":\"2026-05-05T23:30:00-02:00\"}");
        assertThat(e.timestamp()).isEqualTo(Instant.parse("2026-05-06T01:30:00Z"));
        assertThat(e.indexName()).endsWith("2026.05.06");
    }

    @Test
    void unknownFieldsAreKeptUnmapped() throws Exception {
        LogEvent e = norm("{\"whatever\":{\"deep\":true},\"fields\":{\"k\":\"v\"}}");
        assertThat(e.ecs()).isEmpty();
        assertThat(e.fieldsJson()).contains("\"whatever.deep\":true").contains("\"k\":\"v\"");
    }

    @Test
    void labelsMustBeFlat() {
        assertThatThrownBy(() -> norm("{\"labels\":{\"a\":{\"b\":1}}}"))
                .hasMessageContaining("labels.a must be a string");
    }

    @Test
    void serviceNamesAreSafeForIndexNames() throws Exception {
        assertThat(norm("{\"service.name\":\"My Service/../x\"}").indexName())
                .isEqualTo("logs-my_service____x-2026.05.05");
    }
}
