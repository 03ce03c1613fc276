package io.rustbucket.alerts.monitor;

import io.rustbucket.alerts.incident.Condition;
import io.rustbucket.alerts.incident.Severity;
import io.rustbucket.logs.LogPlatform;
import io.rustbucket.logs.index.LogQuery;
import io.rustbucket.logs.index.SearchPage;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Counts error and warning events in the index over the last window: real totals from the index (never capped),
 * levels matched whatever their case (the ingest upper-cases them). Ten times the threshold is critical.
 */
public final class LogLevelMonitor implements Monitor {
    static final List<String> ERROR_LEVELS = List.of("ERROR", "ERR", "CRITICAL", "CRIT", "FATAL", "ALERT", "EMERG");
    static final List<String> WARN_LEVELS = List.of("WARN", "WARNING");
    private static final int SAMPLES = 3;

    private final LogPlatform logs;
    private final MonitorConfig config;
    private final Clock clock;

    public LogLevelMonitor(LogPlatform logs, MonitorConfig config, Clock clock) {
        this.logs = logs;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "log-levels";
    }

    @Override
    public List<Condition> check() {
        Instant to = clock.instant();
        Instant from = to.minus(Duration.ofMinutes(config.windowMinutes()));
        List<Condition> out = new ArrayList<>();
        count(ERROR_LEVELS, from, to, config.errorThreshold(), "errors", "error-rate", "error")
                .ifPresent(out::add);
        count(WARN_LEVELS, from, to, config.warnThreshold(), "warnings", "warn-rate", "warning")
                .ifPresent(out::add);
        return out;
    }

    private java.util.Optional<Condition> count(
            List<String> levels, Instant from, Instant to, int threshold, String subject, String kind, String noun) {
        long total = 0;
        List<String> samples = new ArrayList<>();
        for (String level : levels) {
            SearchPage p = logs.search(new LogQuery("", Map.of("log.level", level), from, to, SAMPLES, null));
            total += p.total();
            for (Map<String, Object> hit : p.hits()) {
                if (samples.size() < SAMPLES) {
                    samples.add(describe(hit));
                }
            }
        }
        if (total < threshold) {
            return java.util.Optional.empty();
        }
        Severity severity = total >= 10L * threshold ? Severity.CRITICAL : Severity.WARNING;
        String title = total + " " + noun + (total == 1 ? "" : "s") + " logged in the last " + config.windowMinutes()
                + " min (threshold " + threshold + ")";
        return java.util.Optional.of(new Condition(
                name() + "/" + subject, kind, severity, title, "latest: " + String.join(" | ", samples), total));
    }

    private static String describe(Map<String, Object> hit) {
        Object service = hit.getOrDefault("service.name", nested(hit, "service", "name"));
        String message = String.valueOf(hit.getOrDefault("message", ""));
        return service + ": " + (message.length() > 200 ? message.substring(0, 200) + "…" : message);
    }

    private static Object nested(Map<String, Object> hit, String group, String field) {
        return hit.get(group) instanceof Map<?, ?> m ? m.get(field) : "?";
    }
}
