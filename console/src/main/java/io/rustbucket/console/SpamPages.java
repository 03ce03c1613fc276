package io.rustbucket.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rustbucket.alerts.Alerts;
import io.rustbucket.alerts.spam.GroupSettings;
import io.rustbucket.alerts.spam.SpamFilter;
import io.rustbucket.alerts.spam.SpamMessage;
import io.rustbucket.core.auth.Authenticator;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.http.ApiException;
import java.util.HashMap;
import java.util.Map;

/**
 * The spam engine's console: the verdict log per group with the checks that fired and the action taken, "spam" /
 * "not spam" feedback that retrains (through the alerts API), a message tester, and per-group settings (edited
 * through the API by admins).
 */
final class SpamPages {
    static final int LIMIT = 100;

    private final Alerts alerts;
    private final Authenticator auth;
    private final Views views;
    private final PageGuard guard;

    SpamPages(Alerts alerts, Authenticator auth, Views views, PageGuard guard) {
        this.alerts = alerts;
        this.auth = auth;
        this.views = views;
        this.guard = guard;
    }

    void register(RoutesConfig r) {
        r.get("/spam", this::log);
        r.post("/console/spam/check", this::check);
        r.get("/spam/groups/{id}", this::group);
    }

    private void log(Context ctx) {
        Page page = guard.require(ctx, Role.VIEWER, "Spam", "spam");
        String group =
                ctx.queryParam("group") == null ? "" : ctx.queryParam("group").strip();
        boolean spamOnly = "true".equals(ctx.queryParam("spam"));
        Map<String, Object> m = new HashMap<>();
        m.put("group", group);
        m.put("spamOnly", spamOnly);
        m.put("groups", alerts.spam().groups().list());
        m.put("verdicts", alerts.spam().log().list(group.isEmpty() ? null : group, spamOnly, LIMIT));
        m.put("samples", alerts.spam().samples());
        views.render(ctx, "spam.jte", page, m);
    }

    /** The tester: a verdict with its reasons, rendered for the page (and logged like any other check). */
    private void check(Context ctx) {
        var p = auth.require(ctx, Role.VIEWER);
        String text = ctx.formParam("text");
        if (text == null || text.isBlank() || text.length() > SpamFilter.MAX_SAMPLE_CHARS) {
            throw ApiException.validation("text is required, at most " + SpamFilter.MAX_SAMPLE_CHARS + " characters");
        }
        String group = ctx.formParam("group");
        SpamFilter.Judged j = alerts.spam()
                .check(
                        new SpamMessage(
                                group == null || group.isBlank() ? null : group.strip(),
                                "console:" + p.user().username(),
                                p.user().username(),
                                text,
                                false,
                                false),
                        null);
        views.render(ctx, "spam-result.jte", guard.page(p, "", "spam"), Map.of("verdict", j.verdict(), "id", j.id()));
    }

    private void group(Context ctx) {
        Page page = guard.require(ctx, Role.VIEWER, "Spam group", "spam");
        String id = ctx.pathParam("id");
        var found = alerts.spam().groups().find(id);
        Map<String, Object> m = new HashMap<>();
        m.put("id", id);
        m.put("settings", found.map(g -> g.settings()).orElse(GroupSettings.defaults()));
        m.put("configured", found.isPresent());
        views.render(ctx, "spam-group.jte", new Page("Spam group " + id, "spam", page.user(), page.nav()), m);
    }
}
