package io.rustbucket.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rustbucket.core.auth.Role;
import io.rustbucket.logs.LogPlatform;
import io.rustbucket.logs.index.LogQuery;
import io.rustbucket.registry.activity.Activity;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Attack sessions: a searchable list, and a replay of what the attacker typed and saw. */
final class SessionPages {
    static final int PAGE_SIZE = 50;

    /** How many search hits a text search reads to find sessions (newest first). */
    static final int TEXT_HITS = 1000;

    private final Activity activity;
    private final Optional<LogPlatform> logs;
    private final Views views;
    private final PageGuard guard;

    SessionPages(Activity activity, Optional<LogPlatform> logs, Views views, PageGuard guard) {
        this.activity = activity;
        this.logs = logs;
        this.views = views;
        this.guard = guard;
    }

    void register(RoutesConfig r) {
        r.get("/sessions", this::list);
        r.get("/sessions/{id}", this::replay);
    }

    private void list(Context ctx) {
        Page page = guard.require(ctx, Role.VIEWER, "Sessions", "sessions");
        int offset = Math.max(0, ctx.queryParamAsClass("offset", Integer.class).getOrDefault(0));
        Activity.SessionFilter f = new Activity.SessionFilter(
                TimeRange.time(ctx.queryParam("from"), "from"),
                TimeRange.time(ctx.queryParam("to"), "to"),
                ctx.queryParam("sensor"),
                ctx.queryParam("protocol"),
                ctx.queryParam("source_ip"),
                ctx.queryParam("user"),
                ctx.queryParam("text"));
        List<Activity.SessionSummary> rows = activity.sessions(withSearch(f), PAGE_SIZE + 1, offset);
        Map<String, Object> m = new HashMap<>();
        m.put("filter", f);
        m.put("sessions", rows.subList(0, Math.min(rows.size(), PAGE_SIZE)));
        m.put("offset", offset);
        m.put("more", rows.size() > PAGE_SIZE);
        m.put("query", query(ctx));
        views.render(ctx, "sessions.jte", page, m);
    }

    private void replay(Context ctx) {
        Page page = guard.require(ctx, Role.VIEWER, "Session", "sessions");
        String id = ctx.pathParam("id");
        List<Activity.SessionEvent> events =
                activity.session(id).orElseThrow(() -> PageGuard.Problem.notFound("session " + id));
        Set<String> credentials = new LinkedHashSet<>();
        Set<String> urls = new LinkedHashSet<>();
        Set<String> files = new LinkedHashSet<>();
        for (Activity.SessionEvent e : events) {
            if ("login.attempt".equals(e.action())) {
                credentials.add(Fmt.orDash(e.user()) + " / " + Fmt.orDash(e.password()));
            }
            if (e.url() != null) {
                urls.add(e.url());
            }
            if (e.fileSha256() != null) {
                files.add(e.fileSha256());
            }
        }
        Map<String, Object> m = new HashMap<>();
        m.put("id", id);
        m.put("events", events);
        m.put("first", events.getFirst());
        m.put("credentials", credentials);
        m.put("urls", urls);
        m.put("files", files);
        m.put("truncated", events.size() >= Activity.MAX_SESSION_EVENTS);
        views.render(ctx, "replay.jte", new Page("Session " + id, page.section(), page.user(), page.nav()), m);
    }

    /**
     * Text is looked up in the log index when one runs (words of commands and messages, the index's retention),
     * which finds the sessions without scanning every stored command; without an index the database scans.
     */
    private Activity.SessionFilter withSearch(Activity.SessionFilter f) {
        if (f.text() == null || f.text().isBlank() || logs.isEmpty()) {
            return f;
        }
        String phrase = "\"" + f.text().strip().replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
        Map<String, String> terms = new java.util.LinkedHashMap<>();
        if (f.sensor() != null && !f.sensor().isBlank()) {
            terms.put("observer.name", f.sensor().strip());
        }
        if (f.sourceIp() != null && !f.sourceIp().isBlank()) {
            terms.put("source.ip", f.sourceIp().strip());
        }
        if (f.protocol() != null && !f.protocol().isBlank()) {
            terms.put("network.protocol", f.protocol().strip());
        }
        var hits = logs.get()
                .search(new LogQuery(
                        "honeypot.input:" + phrase + " OR message:" + phrase, terms, f.from(), f.to(), TEXT_HITS, null))
                .hits();
        List<String> ids = hits.stream()
                .map(h -> h.get("session.id"))
                .filter(java.util.Objects::nonNull)
                .map(Object::toString)
                .distinct()
                .limit(500)
                .toList();
        return new Activity.SessionFilter(
                f.from(), f.to(), f.sensor(), f.protocol(), f.sourceIp(), f.user(), null, ids);
    }

    /** The filters of this request, for the paging links. */
    private static String query(Context ctx) {
        Map<String, String> all = new java.util.LinkedHashMap<>();
        for (String k : List.of("from", "to", "sensor", "protocol", "source_ip", "user", "text")) {
            all.put(k, ctx.queryParam(k));
        }
        return Fmt.queryString(all);
    }
}
