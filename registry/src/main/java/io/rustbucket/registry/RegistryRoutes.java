package io.rustbucket.registry;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import io.rustbucket.core.auth.AuditLog;
import io.rustbucket.core.auth.Authenticator;
import io.rustbucket.core.auth.Principal;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.http.ProblemCode;
import io.rustbucket.core.http.QueryParams;
import io.rustbucket.core.http.RequestBodies;
import io.rustbucket.registry.keys.RegistrationKeys;
import io.rustbucket.registry.sensors.RegisteredSensor;
import io.rustbucket.registry.sensors.Registration;
import io.rustbucket.registry.sensors.SensorStatus;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * HTTP of the registry. Registration answers in the spec's own shape ({@code {"error": ...}}), as existing
 * sensors expect; the admin and fleet APIs answer problem+json like every other platform API.
 */
final class RegistryRoutes implements io.rustbucket.core.http.ApiServer.Routes {
    static final List<String> REGISTER_PATHS = List.of("/register_bucket", "/api/register/");
    static final long ADMIN_BODY_BYTES = 16 * 1024;

    record KeyRequest(String name, Integer expiresInDays) {}

    record StatusRequest(String status) {}

    private final Registry registry;
    private final Authenticator auth;
    private final AuditLog audit;

    RegistryRoutes(Registry registry, Authenticator auth, AuditLog audit) {
        this.registry = registry;
        this.auth = auth;
        this.audit = audit;
    }

    @Override
    public void register(RoutesConfig r) {
        for (String path : REGISTER_PATHS) {
            r.post(path, this::registerSensor);
            for (HandlerType m : List.of(HandlerType.GET, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE)) {
                r.addHttpHandler(
                        m,
                        path,
                        ctx -> ctx.status(405).header("Allow", "POST").json(Map.of("error", "Method not allowed")));
            }
        }
        r.post("/api/registration-keys", this::createKey);
        r.get("/api/registration-keys", this::listKeys);
        r.delete("/api/registration-keys/{id}", this::revokeKey);
        r.get("/api/sensors", this::listSensors);
        r.get("/api/sensors/{id}", this::sensor);
        r.put("/api/sensors/{id}/status", this::setStatus);
        r.post("/api/sensors/{id}/status", this::setStatus);
        r.delete("/api/sensors/{id}", this::deleteSensor);
        r.get("/api/sensors/{id}/analyses", ctx -> {
            auth.require(ctx, Role.VIEWER);
            found(ctx.pathParam("id"));
            ctx.json(Map.of("analyses", registry.analyst().list(ctx.pathParam("id"), limit(ctx, 20))));
        });
        r.get("/api/registry/analyses", ctx -> {
            auth.require(ctx, Role.VIEWER);
            ctx.json(Map.of("analyses", registry.analyst().list(null, limit(ctx, 50))));
        });
        r.get("/api/registry/alerts", ctx -> {
            auth.require(ctx, Role.VIEWER);
            boolean open = "true".equalsIgnoreCase(ctx.queryParam("open"));
            ctx.json(Map.of("alerts", registry.sensors().alerts(ctx.queryParam("sensor"), open, limit(ctx, 100))));
        });
        r.get("/api/registry/summary", ctx -> {
            auth.require(ctx, Role.VIEWER);
            ctx.json(registry.summary());
        });
        r.get("/api/registry/jobs", ctx -> {
            auth.require(ctx, Role.VIEWER);
            ctx.json(Map.of("jobs", registry.leases().states()));
        });
        r.post("/api/registry/jobs/{name}", this::runJob);
    }

    private void registerSensor(Context ctx) {
        byte[] body;
        try {
            body = RequestBodies.read(ctx, Registration.MAX_BODY_BYTES);
        } catch (ApiException e) {
            // The spec's shape, not problem+json: sensors in the field read {"error": ...}.
            if (e.problem() == ProblemCode.PAYLOAD_TOO_LARGE) {
                ctx.status(413).json(Map.of("error", "Request body too large (at most 64 KiB)"));
                return;
            }
            body = new byte[0]; // unreadable: answered as Invalid JSON
        }
        Registration.Answer a = registry.registration().register(body);
        ctx.status(a.status()).json(a.body());
    }

    private void createKey(Context ctx) {
        Principal p = auth.require(ctx, Role.ADMIN);
        KeyRequest req = RequestBodies.json(ctx, ADMIN_BODY_BYTES, KeyRequest.class);
        RegistrationKeys.Issued issued;
        try {
            issued = registry.keys().create(p.user().username(), req.name(), req.expiresInDays());
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(e.getMessage());
        }
        audit.record(
                p.user().username(),
                "registry.key_created",
                issued.info().id(),
                issued.info().name());
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("id", issued.info().id());
        out.put("name", issued.info().name());
        out.put("key", issued.key());
        out.put("expires_at", issued.info().expiresAt());
        ctx.status(201).json(out);
    }

    private void listKeys(Context ctx) {
        auth.require(ctx, Role.ADMIN);
        var now = java.time.Instant.now();
        ctx.json(Map.of(
                "keys",
                registry.keys().list().stream()
                        .map(k -> {
                            Map<String, Object> m = new LinkedHashMap<>();
                            m.put("id", k.id());
                            m.put("name", k.name());
                            m.put("state", k.state(now));
                            m.put("created_by", k.createdBy());
                            m.put("created_at", k.createdAt());
                            m.put("expires_at", k.expiresAt());
                            m.put("used_at", k.usedAt());
                            m.put("sensor_id", k.sensorId());
                            m.put("revoked_at", k.revokedAt());
                            return m;
                        })
                        .toList()));
    }

    private void revokeKey(Context ctx) {
        Principal p = auth.require(ctx, Role.ADMIN);
        String id = ctx.pathParam("id");
        if (registry.keys().find(id).isEmpty()) {
            throw ApiException.notFound("registration key " + id);
        }
        registry.keys().revoke(id);
        audit.record(p.user().username(), "registry.key_revoked", id, "");
        ctx.status(204);
    }

    private void listSensors(Context ctx) {
        auth.require(ctx, Role.VIEWER);
        SensorStatus filter = null;
        if (ctx.queryParam("status") != null) {
            filter = SensorStatus.parse(ctx.queryParam("status"));
            if (filter == null) {
                throw ApiException.validation("status must be Active, Inactive or Review");
            }
        }
        SensorStatus f = filter;
        ctx.json(Map.of(
                "sensors",
                registry.sensors().list().stream()
                        .filter(s -> f == null || s.status() == f)
                        .toList()));
    }

    private void sensor(Context ctx) {
        auth.require(ctx, Role.VIEWER);
        RegisteredSensor s = found(ctx.pathParam("id"));
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("sensor", s);
        out.put("status_history", registry.sensors().history(s.id()));
        out.put("metrics_history", registry.sensors().metricsHistory(s.id(), limit(ctx, 288)));
        out.put("alerts", registry.sensors().alerts(s.id(), false, 50));
        ctx.json(out);
    }

    private void setStatus(Context ctx) {
        Principal p = auth.require(ctx, Role.ADMIN);
        StatusRequest req = RequestBodies.json(ctx, ADMIN_BODY_BYTES, StatusRequest.class);
        SensorStatus status = SensorStatus.parse(req.status());
        if (status == null) {
            throw ApiException.validation("status must be Active, Inactive or Review");
        }
        String id = ctx.pathParam("id");
        String before = found(id).status().label();
        RegisteredSensor after = registry.sensors()
                .setStatus(id, status, p.user().username())
                .orElseThrow(() -> ApiException.notFound("sensor " + id));
        audit.record(p.user().username(), "registry.sensor_status", id, before + " -> " + status.label());
        ctx.json(Map.of("sensor", after));
    }

    private void deleteSensor(Context ctx) {
        Principal p = auth.require(ctx, Role.ADMIN);
        String id = ctx.pathParam("id");
        RegisteredSensor s = found(id);
        registry.sensors().delete(id);
        audit.record(p.user().username(), "registry.sensor_deleted", id, s.name());
        ctx.status(204);
    }

    private void runJob(Context ctx) {
        Principal p = auth.require(ctx, Role.ADMIN);
        Registry.Job job = Registry.Job.of(ctx.pathParam("name"))
                .orElseThrow(() -> ApiException.notFound(
                        "job " + ctx.pathParam("name") + " (jobs: pull-updates, pull-logs, health, parse, analyze)"));
        audit.record(p.user().username(), "registry.job_triggered", job.id(), "");
        Registry.JobRun run = registry.runJob(job);
        if (!run.ran()) {
            throw new ApiException(ProblemCode.CONFLICT, "job " + job.id() + " is running in another process");
        }
        ctx.json(run);
    }

    private RegisteredSensor found(String id) {
        return registry.sensors().find(id).orElseThrow(() -> ApiException.notFound("sensor " + id));
    }

    private static int limit(Context ctx, int dflt) {
        return QueryParams.limit(ctx, dflt, 10_000);
    }
}
