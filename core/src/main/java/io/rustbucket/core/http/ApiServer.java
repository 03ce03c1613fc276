package io.rustbucket.core.http;

import io.javalin.Javalin;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;
import io.javalin.json.JavalinJackson;
import io.micrometer.core.instrument.Timer;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rustbucket.core.health.PartState;
import io.rustbucket.core.health.Readiness;
import io.rustbucket.core.json.Json;
import java.net.BindException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.StatisticsHandler;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An HTTP API server: Javalin on Jetty with virtual threads, problem+json errors, body/header/idle limits,
 * security headers, access log, Prometheus {@code /metrics}, {@code /healthz} and {@code /readyz}. Each system
 * contributes its routes as a {@link Routes}; routes are fixed before the server starts.
 */
public final class ApiServer implements AutoCloseable {
    /** A system's routes. */
    @FunctionalInterface
    public interface Routes {
        void register(RoutesConfig routes);
    }

    private static final Logger log = LoggerFactory.getLogger(ApiServer.class);
    private static final Logger access = LoggerFactory.getLogger("io.rustbucket.access");
    /** Jetty waits this long for in-flight requests at shutdown; the whole process must stop within 10 s. */
    static final Duration STOP_TIMEOUT = Duration.ofSeconds(5);

    private final Javalin app;

    private ApiServer(Javalin app) {
        this.app = app;
    }

    /**
     * Starts a server.
     *
     * @throws PortInUseException when the address is taken
     */
    public static ApiServer start(
            String host,
            int port,
            HttpLimits limits,
            Readiness readiness,
            PrometheusMeterRegistry metrics,
            List<Routes> routes) {
        Javalin app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.concurrency.useVirtualThreads = true;
            config.jsonMapper(new JavalinJackson(Json.mapper(), true));
            config.http.maxRequestSize = limits.maxBodyBytes();
            config.http.prefer405over404 = true;
            config.jetty.modifyServer(server -> {
                server.setStopTimeout(STOP_TIMEOUT.toMillis());
                // Javalin puts a StatisticsHandler in front; nothing reads its counters, and it wraps every
                // response write (two lambdas and a read-only buffer each): an SSE token to 500 streams is 500 writes.
                if (server.getHandler() instanceof StatisticsHandler stats) {
                    server.setHandler(stats.getHandler());
                }
            });
            config.jetty.modifyHttpConfiguration(hc -> {
                hc.setRequestHeaderSize(limits.maxHeaderBytes());
                hc.setSendServerVersion(false);
                hc.setSendXPoweredBy(false);
                hc.setIdleTimeout(limits.idleTimeout().toMillis());
            });
            config.requestLogger.http((ctx, ms) -> observe(ctx, ms, metrics, limits.accessLog()));

            RoutesConfig r = config.routes;
            r.before(ApiServer::securityHeaders);
            r.get("/healthz", ctx -> ctx.json(Map.of("status", "ok")));
            r.get("/readyz", ctx -> readyz(ctx, readiness));
            r.get(
                    "/metrics",
                    ctx -> ctx.contentType("text/plain; version=0.0.4; charset=utf-8")
                            .result(metrics.scrape()));
            routes.forEach(set -> set.register(r));

            r.exception(
                    ApiException.class,
                    (e, ctx) -> problem(ctx, e.problem(), e.getMessage(), e.details(), e.retryAfter()));
            r.exception(
                    HttpResponseException.class,
                    (e, ctx) -> problem(ctx, fromStatus(e.getStatus()), e.getMessage(), Map.of(), null));
            r.exception(Exception.class, (e, ctx) -> {
                String incident = UUID.randomUUID().toString();
                log.error("unhandled error {} on {} {}", incident, ctx.method(), ctx.path(), e);
                problem(ctx, ProblemCode.INTERNAL, "internal error; reference " + incident, Map.of(), null);
            });
            r.error(404, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) {
                    problem(ctx, ProblemCode.NOT_FOUND, "no such resource: " + ctx.path(), Map.of(), null);
                }
            });
            r.error(405, ctx -> {
                if (ctx.result() == null || ctx.result().isEmpty()) { // a route may answer 405 in its own format
                    problem(ctx, ProblemCode.METHOD_NOT_ALLOWED, "method not allowed", Map.of(), null);
                }
            });
        });
        try {
            app.start(host, port);
        } catch (RuntimeException e) {
            for (Throwable t = e; t != null; t = t.getCause()) {
                if (t instanceof BindException) {
                    app.stop();
                    throw new PortInUseException(host, port, e);
                }
            }
            throw e;
        }
        for (var connector : app.jettyServer().server().getConnectors()) {
            if (connector instanceof ServerConnector sc) {
                sc.setIdleTimeout(limits.idleTimeout().toMillis());
            }
        }
        return new ApiServer(app);
    }

    public int port() {
        return app.port();
    }

    @Override
    public void close() {
        app.stop();
    }

    /** Writes a problem document; the one place error bodies are produced. */
    public static void problem(
            Context ctx, ProblemCode code, String message, Map<String, Object> details, Duration retryAfter) {
        if (retryAfter != null) {
            ctx.header("Retry-After", Long.toString(Math.max(1, (retryAfter.toMillis() + 999) / 1000)));
        }
        ctx.status(code.status())
                .contentType(Problem.CONTENT_TYPE)
                .result(Json.write(Problem.of(code, message, details)));
    }

    private static void readyz(Context ctx, Readiness readiness) {
        List<PartState> states = readiness.states();
        boolean ready = readiness.isReady(states);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("ready", ready);
        body.put("parts", states);
        ctx.status(ready ? 200 : 503).json(body);
    }

    private static void securityHeaders(Context ctx) {
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("X-Frame-Options", "DENY");
        ctx.header("Referrer-Policy", "no-referrer");
        ctx.header("Cache-Control", "no-store");
    }

    private static void observe(Context ctx, Float ms, PrometheusMeterRegistry metrics, boolean accessLog) {
        String route = ctx.endpoint() == null ? "unmatched" : ctx.endpoint().path;
        Timer.builder("http_server_requests")
                .tag("method", ctx.method().name())
                .tag("route", route)
                .tag("status", Integer.toString(ctx.statusCode()))
                .register(metrics)
                .record((long) (ms * 1000), TimeUnit.MICROSECONDS);
        if (accessLog) {
            access.info("{} {} {} {} {}ms", ctx.ip(), ctx.method(), ctx.path(), ctx.statusCode(), Math.round(ms));
        }
    }

    private static ProblemCode fromStatus(int status) {
        for (ProblemCode c : ProblemCode.values()) {
            if (c.status() == status) {
                return c;
            }
        }
        return status >= 500 ? ProblemCode.INTERNAL : ProblemCode.VALIDATION;
    }
}
