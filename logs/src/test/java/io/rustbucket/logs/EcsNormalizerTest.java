package io.rustbucket.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustbucket.core.json.Json;
import io.rustbucket.logs.ecs.EcsNormalizer;
import io.rustbucket.logs.ecs.InvalidEventException;
import io.rustbucket.logs.ecs.LogEvent;
import java.time.Instant;
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
