package io.rustbucket.console;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rustbucket.alerts.Alerts;
import io.rustbucket.alerts.AlertsConfig;
import io.rustbucket.alerts.incident.Condition;
import io.rustbucket.alerts.incident.Severity;
import io.rustbucket.alerts.monitor.SensorWatch;
import io.rustbucket.assistant.Assistant;
import io.rustbucket.core.auth.AuthConfig;
import io.rustbucket.core.auth.PasswordHasher;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.http.ApiServer;
import io.rustbucket.core.http.HttpLimits;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.llm.LlmConfig;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.core.store.StoreConfig;
import io.rustbucket.core.testing.TestDatabase;
import io.rustbucket.logs.LogPlatform;
import io.rustbucket.logs.LogsConfig;
import io.rustbucket.registry.Registry;
import io.rustbucket.registry.RegistryConfig;
import io.rustbucket.registry.sensors.RegisteredSensor;
import io.rustbucket.registry.sensors.SensorStatus;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.zip.GZIPOutputStream;

/**
 * The console over real systems in one process, as {@code up} runs them: H2, the Lucene log platform, the registry
 * (jobs run by hand) and alerts, behind a real HTTP server. Seeds one registered sensor with attack sessions
 * (one of them full of hostile text), parsed through the registry's real parser, and three users.
 */
final class ConsoleFixture implements AutoCloseable {
    static final String PASSWORD = "console-pass-123";
    /** What a hostile attacker types: markup, an attribute break-out, ANSI escapes and an RTL override. */
    static final String HOSTILE = "<script>alert(1)</script>\"><img src=x onerror=alert(2)>\u001b[31mred\u202egnp.exe";

    final TestDatabase db = TestDatabase.h2();
    final Path data;
    final CoreServices core;
    final LogPlatform logs;
    final Registry registry;
    final Alerts alerts;
    final Assistant assistant;
    final Console console;
    final ApiServer http;
    final String base;
    final String sensorId;

    ConsoleFixture() throws Exception {
        data = Files.createTempDirectory("rb-console");
        core = CoreServices.open(
                data,
                db.config(),
                StoreConfig.defaults(),
                AuthConfig.defaults(),
                LlmConfig.defaults(),
                Map.of(),
                new PasswordHasher(1024, 1),
                Clock.systemUTC());
        logs = LogPlatform.start(core, LogsConfig.defaults());
        // As in up: parsed events also go to the log index (service "sensor"), where text search finds them.
        registry = Registry.unscheduled(core, RegistryConfig.defaults(), lines -> {
            StringBuilder ndjson = new StringBuilder();
            for (String line : lines) {
                try {
                    ObjectNode doc = (ObjectNode) Json.mapper().readTree(line);
                    ndjson.append(Json.write(doc.put("service.name", "sensor"))).append('\n');
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            logs.ingest(ndjson.toString().getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
        });
        alerts = Alerts.unscheduled(
                core,
                Json.mapper().convertValue(Map.of(), AlertsConfig.class),
                logs,
                SensorWatch.NONE,
                "http://console.test");
        assistant = Assistant.start(core);
        console = new Console(
                core,
                new Console.Systems(
                        Optional.of(registry),
                        Optional.of(logs),
                        Optional.of(alerts),
                        Optional.empty(),
                        Optional.of(assistant)));
        http = ApiServer.start(
                "127.0.0.1",
                0,
                HttpLimits.defaults(),
                core.readiness(),
                core.metrics(),
                List.of(
                        core.authRoutes(),
                        logs.routes(),
                        registry.routes(),
                        alerts.routes(),
                        assistant.routes(),
                        console));
        base = "http://127.0.0.1:" + http.port();
        for (Role role : Role.values()) {
            core.accounts().create(role.id() + "-user", null, null, PASSWORD, Set.of(role), false);
        }
        sensorId = seedSensor("trap-1");
    }

    static String user(Role role) {
        return role.id() + "-user";
    }

    /** A sensor registered with a key, made Active, with one status poll's metrics. */
    private String seedSensor(String name) {
        String key = registry.keys().create("test", name, 1).key();
        var answer = registry.registration()
                .register(("{\"name\":\"" + name + "\",\"ip_address\":\"198.51.100.20\","
                                + "\"operating_system\":\"linux (x86_64)\",\"token\":\"" + key + "\"}")
                        .getBytes(StandardCharsets.UTF_8));
        String id = String.valueOf(answer.body().get("id"));
        registry.sensors().setStatus(id, SensorStatus.ACTIVE, "test");
        registry.sensors().heartbeat(id, new RegisteredSensor.Metrics("12%", "41%", "18G free", "3 days", "4"));
        return id;
    }

    /** Pushes events as the sensor's batch and runs the registry's parser over it. */
    void pushAndParse(String sensor, List<String> events) throws Exception {
        String day = LocalDate.now(ZoneOffset.UTC).toString();
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(b)) {
            gz.write((String.join("\n", events) + "\n").getBytes(StandardCharsets.UTF_8));
        }
        core.store()
                .put(
                        "sensors/" + sensor + "/logs/" + day + "/" + sensor + "_" + System.nanoTime() + "_1.jsonl.gz",
                        b.toByteArray());
        registry.runJob(Registry.Job.PARSE);
    }

    /** One attack session over SSH: connection, a login, commands with answers from several responders. */
    static List<String> session(String sensor, String session, String ip, Instant start, List<String[]> commands) {
        List<String> out = new ArrayList<>();
        out.add(event(sensor, session, ip, start, "connection.open", Map.of()));
        out.add(event(
                sensor,
                session,
                ip,
                start.plusSeconds(1),
                "login.attempt",
                Map.of("user.name", "root", "honeypot.password", "admin123")));
        int i = 2;
        for (String[] c : commands) {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("honeypot.input", c[0]);
            f.put("honeypot.response", c[1]);
            f.put("honeypot.responder", c[2]);
            if (c.length > 3) {
                f.put("url.original", c[3]);
            }
            out.add(event(sensor, session, ip, start.plusSeconds(i++), "command", f));
        }
        out.add(event(sensor, session, ip, start.plusSeconds(i), "connection.close", Map.of()));
        return out;
    }

    static String event(String sensor, String session, String ip, Instant at, String action, Map<String, ?> more) {
        Map<String, Object> e = new LinkedHashMap<>();
        e.put("@timestamp", at.toString());
        e.put("event.id", UUID.randomUUID().toString());
        e.put("event.kind", "event");
        e.put("event.action", action);
        e.put("observer.name", sensor);
        e.put("session.id", session);
        e.put("source.ip", ip);
        e.put("source.port", 40_000);
        e.put("network.protocol", "ssh");
        e.put("log.level", "INFO");
        e.put("message", action + " from " + ip);
        e.putAll(more);
        return Json.write(e);
    }

    /** Raises one incident through the alert book, as a monitor would. */
    void raiseAlert(String title) {
        alerts.book()
                .observe(
                        "storage",
                        List.of(new Condition("storage/data", "disk", Severity.WARNING, title, "12 GB free", 12)),
                        Duration.ofMinutes(30))
                .forEach(alerts::announce);
    }

    /** Sends events through the log platform's ingest path (as the sensor in up does). */
    void ingest(String ndjson) {
        logs.ingest(ndjson.getBytes(StandardCharsets.UTF_8), "application/x-ndjson");
    }

    @Override
    public void close() {
        logs.stopStreams(); // open live streams would otherwise hold the server's graceful stop
        console.close();
        assistant.close();
        http.close();
        alerts.close();
        registry.close();
        logs.close();
        core.close();
        db.close();
    }
}
