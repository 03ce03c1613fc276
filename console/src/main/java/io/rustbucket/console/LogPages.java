package io.rustbucket.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rustbucket.core.auth.Role;
import io.rustbucket.logs.LogPlatform;
import io.rustbucket.logs.index.IndexUnavailableException;
import io.rustbucket.logs.index.LogQuery;
import io.rustbucket.logs.index.SearchPage;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Log search with filters, time range and paging by cursor; live tail is the same filters over the log
 * platform's SSE stream, opened by the page's script.
 */
final class LogPages {
    static final int PAGE_SIZE = 50;

    private final LogPlatform logs;
    private final Views views;
    private final PageGuard guard;

    LogPages(LogPlatform logs, Views views, PageGuard guard) {
        this.logs = logs;
        this.views = views;
        this.guard = guard;
    }

    void register(RoutesConfig r) {
        r.get("/logs", this::search);
    }

    private void search(Context ctx) {
        Page page = guard.require(ctx, Role.VIEWER, "Logs", "logs");
        Map<String, String> filters = new LinkedHashMap<>();
        Map<String, String> terms = new LinkedHashMap<>();
        LogQuery.FILTER_PARAMETERS.forEach((param, field) -> {
            String v = ctx.queryParam(param);
            if (v != null && !v.isBlank()) {
                filters.put(param, v.strip());
                terms.put(field, field.equals("log.level") ? v.strip().toUpperCase(Locale.ROOT) : v.strip());
            }
        });
        String q = ctx.queryParam("q") == null ? "" : ctx.queryParam("q");
        String from = ctx.queryParam("from");
        String to = ctx.queryParam("to");
        String after = ctx.queryParam("after");
        Map<String, Object> m = new HashMap<>();
        m.put("q", q);
        m.put("filters", filters);
        m.put("from", from == null ? "" : from);
        m.put("to", to == null ? "" : to);
        m.put("error", "");
        m.put("result", new SearchPage(java.util.List.of(), 0, null));
        try {
            LogQuery query = new LogQuery(
                    q,
                    terms,
                    TimeRange.time(from, "from"),
                    TimeRange.time(to, "to"),
                    PAGE_SIZE,
                    after == null || after.isBlank() ? null : LogQuery.Cursor.decode(after));
            m.put("result", logs.search(query));
        } catch (IllegalArgumentException e) {
            m.put("error", "The search could not run: " + e.getMessage());
        } catch (IndexUnavailableException e) {
            m.put("error", "The log index is not answering right now; try again in a moment.");
        }
        m.put("query", query(q, filters, from, to));
        views.render(ctx, "logs.jte", page, m);
    }

    private static String query(String q, Map<String, String> filters, String from, String to) {
        Map<String, String> all = new LinkedHashMap<>();
        all.put("q", q);
        all.putAll(filters);
        all.put("from", from);
        all.put("to", to);
        return Fmt.queryString(all);
    }
}
