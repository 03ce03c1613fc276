package io.rustbucket.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.llm.LlmGateway;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.registry.Registry;
import io.rustbucket.registry.activity.Activity;
import io.rustbucket.registry.sensors.RegisteredSensor;
import io.rustbucket.registry.sensors.SensorStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The overview: attacks over time by protocol, the top lists, fleet health, model use and a live event feed. */
final class OverviewPages {
    private final CoreServices core;
    private final Console.Systems systems;
    private final Views views;
    private final PageGuard guard;

    OverviewPages(CoreServices core, Console.Systems systems, Views views, PageGuard guard) {
        this.core = core;
        this.systems = systems;
        this.views = views;
        this.guard = guard;
    }

    void register(RoutesConfig r) {
        r.get("/", this::overview);
        r.get("/console/overview/timeline", this::timeline);
    }

    private void overview(Context ctx) {
        Page page = guard.require(ctx, Role.VIEWER, "Overview", "overview");
        Instant now = core.clock().instant();
        TimeRange range = TimeRange.parse(ctx.queryParam("range"), ctx.queryParam("from"), ctx.queryParam("to"), now);
        Map<String, Object> m = new HashMap<>();
        m.put("range", range);
        m.put("now", now);
        m.put("live", systems.logs().isPresent());
        List<LlmGateway.ModelUsage> usage = core.llm().usage();
        m.put("usage", usage);
        m.put(
                "usageTotal",
                usage.stream()
                        .mapToLong(u -> u.inputTokens() + u.outputTokens())
                        .sum());
        m.put("hasRegistry", systems.registry().isPresent());
        systems.registry()
                .ifPresentOrElse(
                        reg -> {
                            Activity a = reg.activity();
                            m.put("connections", a.connections(range.from(), range.to()));
                            m.put("fleet", fleet(reg, now));
                            m.put("parsedAt", a.newestParsed().orElse(null));
                            Map<String, List<Activity.Count>> tops = new LinkedHashMap<>();
                            tops.put("source IPs", a.top(Activity.Dimension.SOURCE_IP, range.from(), range.to(), 10));
                            tops.put("credentials", a.top(Activity.Dimension.CREDENTIAL, range.from(), range.to(), 10));
                            tops.put("commands", a.top(Activity.Dimension.COMMAND, range.from(), range.to(), 10));
                            tops.put("URLs", a.top(Activity.Dimension.URL, range.from(), range.to(), 10));
                            m.put("tops", tops);
                        },
                        () -> {
                            m.put("connections", 0L);
                            m.put("fleet", new FleetHealth(0, 0, 0, 0));
                            m.put("parsedAt", null);
                            m.put("tops", Map.of());
                        });
        views.render(ctx, "overview.jte", page, m);
    }

    /** The chart's data: bucket start times (epoch seconds) and one series per protocol. */
    private void timeline(Context ctx) {
        guard.require(ctx, Role.VIEWER, "", "");
        Instant now = core.clock().instant();
        TimeRange range = TimeRange.parse(ctx.queryParam("range"), ctx.queryParam("from"), ctx.queryParam("to"), now);
        Map<String, Object> body = new LinkedHashMap<>();
        if (systems.registry().isEmpty()) {
            body.put("starts", List.of());
            body.put("series", Map.of());
            body.put("total", 0);
            ctx.json(body);
            return;
        }
        Activity.Timeline t = systems.registry().get().activity().timeline(range.from(), range.to(), range.buckets());
        body.put(
                "starts",
                t.starts().subList(0, t.starts().size() - 1).stream()
                        .map(Instant::getEpochSecond)
                        .toList());
        body.put("bucket_seconds", t.bucket().toSeconds());
        body.put("series", t.byProtocol());
        body.put("total", t.total());
        ctx.json(body);
    }

    static FleetHealth fleet(Registry reg, Instant now) {
        Duration threshold = reg.config().healthThreshold();
        long up = 0, down = 0, review = 0, inactive = 0;
        for (RegisteredSensor s : reg.sensors().list()) {
            if (s.status() == SensorStatus.REVIEW) {
                review++;
            } else if (s.status() == SensorStatus.INACTIVE) {
                inactive++;
            } else if (s.lastSeenAt() != null
                    && Duration.between(s.lastSeenAt(), now).compareTo(threshold) <= 0) {
                up++;
            } else {
                down++;
            }
        }
        return new FleetHealth(up, down, review, inactive);
    }
}
