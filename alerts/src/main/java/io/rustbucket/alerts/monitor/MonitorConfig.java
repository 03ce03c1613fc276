package io.rustbucket.alerts.monitor;

import static io.rustbucket.core.config.ConfigException.require;

import java.util.List;

/**
 * The {@code [alerts.monitors]} table; defaults are the spec's (specs/ingest-and-alerts.md).
 *
 * @param checkSecs how often every monitor looks
 * @param cooldownMinutes a condition that returns this soon after resolving reopens its alert without a new notice
 * @param diskFreeMinGb, diskFreeMinPercent warning when free space on the index storage drops below either
 * @param diskCriticalPercent critical below this
 * @param errorThreshold ERROR/CRITICAL/FATAL events in the window that raise an alert
 * @param warnThreshold WARN events in the window that raise an alert
 * @param windowMinutes the window of the two level counts
 * @param healthUrls other services' health endpoints, asked with a GET; anything but 2xx in time is an alert
 * @param healthTimeoutSecs the whole-request deadline of one health GET
 */
public record MonitorConfig(
        Integer checkSecs,
        Integer cooldownMinutes,
        Integer diskFreeMinGb,
        Integer diskFreeMinPercent,
        Integer diskCriticalPercent,
        Integer errorThreshold,
        Integer warnThreshold,
        Integer windowMinutes,
        List<String> healthUrls,
        Integer healthTimeoutSecs) {

    public MonitorConfig {
        checkSecs = positive(checkSecs, 60, 86_400, "alerts.monitors.check_secs");
        cooldownMinutes = positive(cooldownMinutes, 30, 10_080, "alerts.monitors.cooldown_minutes");
        diskFreeMinGb = positive(diskFreeMinGb, 15, 1_000_000, "alerts.monitors.disk_free_min_gb");
        diskFreeMinPercent = positive(diskFreeMinPercent, 12, 99, "alerts.monitors.disk_free_min_percent");
        diskCriticalPercent = positive(diskCriticalPercent, 5, 99, "alerts.monitors.disk_critical_percent");
        errorThreshold = positive(errorThreshold, 1, 1_000_000_000, "alerts.monitors.error_threshold");
        warnThreshold = positive(warnThreshold, 5, 1_000_000_000, "alerts.monitors.warn_threshold");
        windowMinutes = positive(windowMinutes, 3, 1440, "alerts.monitors.window_minutes");
        healthUrls = healthUrls == null ? List.of() : List.copyOf(healthUrls);
        for (String u : healthUrls) {
            require(
                    u.startsWith("http://") || u.startsWith("https://"),
                    "alerts.monitors.health_urls",
                    u,
                    "http:// or https:// URLs");
        }
        healthTimeoutSecs = positive(healthTimeoutSecs, 5, 300, "alerts.monitors.health_timeout_secs");
    }

    public static MonitorConfig defaults() {
        return new MonitorConfig(null, null, null, null, null, null, null, null, null, null);
    }

    private static int positive(Integer v, int dflt, int max, String key) {
        int x = v == null ? dflt : v;
        require(x >= 1 && x <= max, key, x, "1.." + max);
        return x;
    }
}
