package io.rustbucket.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rustbucket.alerts.Alerts;
import io.rustbucket.core.auth.Role;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/** Incidents of the infrastructure monitors: filter by status and kind; analysts acknowledge and resolve. */
final class AlertPages {
    static final int LIMIT = 200;
    static final Set<String> STATUSES = Set.of("active", "open", "acknowledged", "resolved", "all");

    private final Alerts alerts;
    private final Views views;
    private final PageGuard guard;

    AlertPages(Alerts alerts, Views views, PageGuard guard) {
        this.alerts = alerts;
        this.views = views;
        this.guard = guard;
    }

    void register(RoutesConfig r) {
        r.get("/alerts", this::list);
    }

    private void list(Context ctx) {
        Page page = guard.require(ctx, Role.VIEWER, "Alerts", "alerts");
        String status = ctx.queryParam("status") == null ? "active" : ctx.queryParam("status");
        if (!STATUSES.contains(status)) {
            throw PageGuard.Problem.invalid("status must be one of " + STATUSES);
        }
        String kind =
                ctx.queryParam("kind") == null ? "" : ctx.queryParam("kind").strip();
        Map<String, Object> m = new HashMap<>();
        m.put("status", status);
        m.put("kind", kind);
        m.put("alerts", alerts.book().list(status.equals("all") ? null : status, kind.isEmpty() ? null : kind, LIMIT));
        m.put("monitors", alerts.monitorNames());
        m.put("monitorErrors", alerts.monitorErrors());
        views.render(ctx, "alerts.jte", page, m);
    }
}
