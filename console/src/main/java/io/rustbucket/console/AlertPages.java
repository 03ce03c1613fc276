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

    /** The configured notifiers (secrets never shown). */
    static java.util.List<NotifierChannel> channels(io.rustbucket.alerts.AlertsConfig c) {
        var e = c.email();
        var t = c.telegram();
        var w = c.webhook();
        return java.util.List.of(
                new NotifierChannel(
                        "e-mail",
                        e.enabled(),
                        e.enabled() ? String.join(", ", e.to()) + " via " + e.host() + ":" + e.port() : "",
                        severity(e.minSeverity()),
                        kinds(e.kinds()),
                        e.notifyResolved()),
                new NotifierChannel(
                        "telegram",
                        t.notifies(),
                        t.notifies() ? "chats " + String.join(", ", t.chatIds()) : "",
                        severity(t.minSeverity()),
                        kinds(t.kinds()),
                        t.notifyResolved()),
                new NotifierChannel(
                        "webhook",
                        w.enabled(),
                        w.enabled() ? java.net.URI.create(w.url()).getHost() + " (signed)" : "",
                        severity(w.minSeverity()),
                        kinds(w.kinds()),
                        w.notifyResolved()));
    }

    private static String severity(io.rustbucket.alerts.incident.Severity s) {
        return s == null ? "warning" : s.name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String kinds(java.util.Set<String> kinds) {
        return kinds == null || kinds.isEmpty() ? "all" : String.join(", ", new java.util.TreeSet<>(kinds));
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
        m.put("channels", channels(alerts.config()));
        m.put("deliveries", alerts.deliveries().counts());
        views.render(ctx, "alerts.jte", page, m);
    }
}
