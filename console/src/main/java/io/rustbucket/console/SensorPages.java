package io.rustbucket.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rustbucket.core.auth.Role;
import io.rustbucket.registry.Registry;
import io.rustbucket.registry.sensors.RegisteredSensor;
import java.time.Clock;
import java.util.Map;

/**
 * The fleet: every sensor with its status and latest metrics, a sensor's history, and registration keys (created
 * and revoked through the registry's API; a new key is shown once, in the browser that asked for it).
 */
final class SensorPages {
    static final int METRIC_HISTORY = 96;

    private final Registry registry;
    private final Clock clock;
    private final Views views;
    private final PageGuard guard;

    SensorPages(Registry registry, Clock clock, Views views, PageGuard guard) {
        this.registry = registry;
        this.clock = clock;
        this.views = views;
        this.guard = guard;
    }

    void register(RoutesConfig r) {
        r.get("/sensors", this::fleet);
        r.get(
                "/sensors/keys",
                ctx -> views.render(
                        ctx,
                        "sensor-keys.jte",
                        guard.require(ctx, Role.ADMIN, "Registration keys", "sensors"),
                        Map.of("keys", registry.keys().list(), "now", clock.instant())));
        r.get("/sensors/{id}", this::detail);
    }

    private void fleet(Context ctx) {
        Page page = guard.require(ctx, Role.VIEWER, "Sensors", "sensors");
        views.render(
                ctx,
                "sensors.jte",
                page,
                Map.of(
                        "sensors", registry.sensors().list(),
                        "fleet", OverviewPages.fleet(registry, clock.instant()),
                        "keys", page.isAdmin() ? registry.keys().list() : java.util.List.of(),
                        "threshold", registry.config().healthThreshold(),
                        "now", clock.instant()));
    }

    private void detail(Context ctx) {
        Page page = guard.require(ctx, Role.VIEWER, "Sensor", "sensors");
        String id = ctx.pathParam("id");
        RegisteredSensor s = registry.sensors().find(id).orElseThrow(() -> PageGuard.Problem.notFound("sensor " + id));
        views.render(
                ctx,
                "sensor.jte",
                new Page(s.name(), page.section(), page.user(), page.nav()),
                Map.of(
                        "sensor", s,
                        "metrics", registry.sensors().metricsHistory(id, METRIC_HISTORY),
                        "history", registry.sensors().history(id),
                        "alerts", registry.sensors().alerts(id, false, 20),
                        "now", clock.instant()));
    }
}
