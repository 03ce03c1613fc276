package io.rustbucket.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rustbucket.core.auth.Role;
import io.rustbucket.registry.Registry;
import io.rustbucket.registry.analyze.Analyst;
import io.rustbucket.registry.sensors.RegisteredSensor;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The analyst's reports: per sensor, the latest and the past ones (narrative and facts); admins can run it now. */
final class AnalysisPages {
    static final int HISTORY = 20;

    private final Registry registry;
    private final Views views;
    private final PageGuard guard;

    AnalysisPages(Registry registry, Views views, PageGuard guard) {
        this.registry = registry;
        this.views = views;
        this.guard = guard;
    }

    void register(RoutesConfig r) {
        r.get("/analyses", this::list);
    }

    private void list(Context ctx) {
        Page page = guard.require(ctx, Role.VIEWER, "Analyses", "analyses");
        List<RegisteredSensor> sensors = registry.sensors().list();
        String wanted = ctx.queryParam("sensor");
        Optional<RegisteredSensor> sensor = wanted == null || wanted.isBlank()
                ? Optional.empty()
                : sensors.stream().filter(s -> s.id().equals(wanted)).findFirst();
        List<Analyst.Analysis> analyses =
                registry.analyst().list(sensor.map(RegisteredSensor::id).orElse(null), HISTORY);
        Map<String, Object> m = new HashMap<>();
        m.put("sensors", sensors);
        m.put("selected", sensor.map(RegisteredSensor::id).orElse(""));
        m.put("analyses", analyses);
        m.put("model", registry.analyst().model());
        views.render(ctx, "analyses.jte", page, m);
    }
}
