package io.rustbucket.logs;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.rustbucket.core.auth.Authenticator;
import io.rustbucket.core.auth.Principal;
import io.rustbucket.core.auth.Revocations;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.http.ApiServer;
import io.rustbucket.core.http.ProblemCode;
import io.rustbucket.core.http.RequestBodies;
import io.rustbucket.core.json.Json;
import io.rustbucket.logs.ecs.LogEvent;
import io.rustbucket.logs.index.LogDocument;
import io.rustbucket.logs.index.LogQuery;
import io.rustbucket.logs.ingest.IngestResult;
import io.rustbucket.logs.search.LiveTail;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.Predicate;

/** HTTP of the log platform: ingest, search, live tail, health. Handlers only translate; {@link LogPlatform} works. */
final class LogRoutes implements ApiServer.Routes {
    static final Map<String, String> FILTERS = LogQuery.FILTER_PARAMETERS;

    static final long KEEPALIVE_MS = 15_000;
    static final long WAIT_MS = 250;

    private final LogPlatform logs;
    private final Authenticator auth;
    private final Revocations revocations;
    private final long maxBodyBytes;

    LogRoutes(LogPlatform logs, Authenticator auth, Revocations revocations, long maxBodyBytes) {
        this.logs = logs;
        this.auth = auth;
        this.revocations = revocations;
        this.maxBodyBytes = maxBodyBytes;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/ingest", this::ingest);
        r.get("/api/logs/search", this::search);
        r.before("/api/logs/tail", ctx -> {
            auth.require(ctx, Role.VIEWER);
            String accept = ctx.header("Accept");
            if (accept == null || !accept.contains("text/event-stream")) { // the SSE layer would answer an empty 200
                throw ApiException.validation("this is an SSE stream: send Accept: text/event-stream");
            }
        });
        r.sse("/api/logs/tail", this::tail);
        r.get("/health", ctx -> ctx.json(Map.of("status", "ok")));
        r.get("/ready", ctx -> {
            var state = logs.probe();
            boolean ready = state.status() == io.rustbucket.core.health.PartState.Status.READY;
            ctx.status(ready ? 200 : 503)
                    .json(Map.of("ready", ready, "index", state.detail(), "queue_depth", logs.queueDepth()));
        });
    }

    private void ingest(Context ctx) {
        Principal p = auth.identify(ctx)
                .orElseThrow(() -> new ApiException(
                        ProblemCode.UNAUTHENTICATED, "send an ingest token: Authorization: Bearer rbt_..."));
        if (!p.mayIngest()) {
            throw ApiException.forbidden("this token may not ingest (scope ingest or admin needed)");
        }
        byte[] body = RequestBodies.read(ctx, maxBodyBytes);
        if (body.length == 0) {
            throw ApiException.validation("empty body");
        }
        IngestResult r = logs.ingest(body, ctx.contentType());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("indexed", r.accepted());
        if (!r.errors().isEmpty()) {
            out.put("failed", r.errors().size());
            out.put("errors", r.errors());
            ctx.status(207);
        }
        ctx.json(out);
    }

    private void search(Context ctx) {
        auth.require(ctx, Role.VIEWER);
        ctx.json(logs.search(query(ctx, true)));
    }

    private void tail(SseClient client) {
        Context ctx = client.ctx();
        LogQuery q = query(ctx, false);
        client.keepAlive();
        LiveTail tail = logs.tail();
        Principal p = auth.require(ctx, Role.VIEWER);
        // The stream outlives the request that authorised it: signing out or revoking the token ends it.
        try (Revocations.Watch session = revocations.watch(p);
                LiveTail.Subscription sub = tail.subscribe(matcher(q))) {
            long lastSent = System.nanoTime();
            // Short waits so a stopping platform ends the stream at once instead of holding shutdown.
            while (!client.terminated() && !tail.isClosed()) {
                if (session.ended()) {
                    client.sendEvent(
                            "error",
                            Json.write(Map.of("code", ProblemCode.UNAUTHENTICATED.code(), "message", "signed out")));
                    break;
                }
                LogEvent e = sub.next(WAIT_MS);
                long dropped = sub.takeDropped();
                if (dropped > 0) {
                    client.sendEvent("dropped", Json.write(Map.of("dropped", dropped)));
                }
                if (e != null) {
                    client.sendEvent("log", Json.write(LogDocument.source(e)), e.id());
                    lastSent = System.nanoTime();
                } else if (System.nanoTime() - lastSent >= KEEPALIVE_MS * 1_000_000L) {
                    client.sendComment("keep-alive");
                    lastSent = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            client.close();
        }
    }

    static LogQuery query(Context ctx, boolean paged) {
        Map<String, String> terms = new LinkedHashMap<>();
        FILTERS.forEach((param, field) -> {
            String v = ctx.queryParam(param);
            if (v != null && !v.isBlank()) {
                terms.put(field, field.equals("log.level") ? v.toUpperCase(Locale.ROOT) : v);
            }
        });
        try {
            int size = paged
                    ? Integer.parseInt(
                            ctx.queryParamAsClass("size", String.class).getOrDefault("50"))
                    : 1;
            String after = ctx.queryParam("after");
            return new LogQuery(
                    ctx.queryParam("q"),
                    terms,
                    time(ctx.queryParam("from"), "from"),
                    time(ctx.queryParam("to"), "to"),
                    size,
                    after == null || after.isBlank() ? null : LogQuery.Cursor.decode(after));
        } catch (NumberFormatException e) {
            throw ApiException.validation("size must be a number");
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(e.getMessage());
        }
    }

    private static Instant time(String v, String name) {
        if (v == null || v.isBlank()) {
            return null;
        }
        try {
            return OffsetDateTime.parse(v).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + " must be an RFC 3339 time, e.g. 2026-01-31T12:00:00Z");
        }
    }

    /** The live-tail filter: the same keyword filters and time range as search (no query string). */
    static Predicate<LogEvent> matcher(LogQuery q) {
        return e -> {
            Map<String, Object> source = LogDocument.source(e);
            for (var t : q.terms().entrySet()) {
                if (!t.getValue().equals(source.get(t.getKey()))) {
                    return false;
                }
            }
            return (q.from() == null || !e.timestamp().isBefore(q.from()))
                    && (q.to() == null || !e.timestamp().isAfter(q.to()));
        };
    }
}
