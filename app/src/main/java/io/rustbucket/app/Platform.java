package io.rustbucket.app;

import io.rustbucket.core.auth.PasswordHasher;
import io.rustbucket.core.health.PartState;
import io.rustbucket.core.http.ApiServer;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.logs.LogPlatform;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every system that exists, in one process, on one configuration: what {@code ./rustbucket up} runs. Start-up
 * order: data directory, core services (database, store, accounts), systems, then the platform HTTP server.
 */
public final class Platform implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Platform.class);

    /** The systems a command runs; {@code up} runs all of them. */
    public enum Part {
        LOGS,
        SENSOR,
        REGISTRY,
        ALERTS,
        ASSISTANT
    }

    private final CoreServices core;
    private final List<AutoCloseable> systems;
    /** Run before the HTTP server stops: ends long-lived streams (SSE) that would otherwise hold its graceful stop. */
    private final List<Runnable> onStopping;

    private final ApiServer http;
    private final Map<String, String> endpoints;
    private final Optional<String> initialAdminPassword;

    private Platform(
            CoreServices core,
            List<AutoCloseable> systems,
            List<Runnable> onStopping,
            ApiServer http,
            Map<String, String> endpoints,
            Optional<String> password) {
        this.core = core;
        this.systems = systems;
        this.onStopping = onStopping;
        this.http = http;
        this.endpoints = endpoints;
        this.initialAdminPassword = password;
    }

    /**
     * Starts the platform.
     *
     * @throws StartupException and the other typed start-up failures, each with a one-line message
     */
    public static Platform start(RustbucketConfig config, Map<String, String> env, PasswordHasher hasher, Clock clock) {
        return start(config, env, hasher, clock, java.util.EnumSet.allOf(Part.class));
    }

    /** Starts core plus the given systems. */
    public static Platform start(
            RustbucketConfig config,
            Map<String, String> env,
            PasswordHasher hasher,
            Clock clock,
            java.util.Set<Part> parts) {
        Path data = prepareDataDir(config.platform().dataPath());
        CoreServices core = CoreServices.open(
                data, config.database(), config.store(), config.auth(), config.llm(), env, hasher, clock);
        List<AutoCloseable> systems = new ArrayList<>();
        List<Runnable> onStopping = new ArrayList<>();
        try {
            Optional<String> password = core.accounts().ensureInitialAdmin(data);
            List<ApiServer.Routes> routes = new ArrayList<>();
            routes.add(core.authRoutes());
            if (parts.contains(Part.LOGS)) {
                LogPlatform logs = LogPlatform.start(core, config.logs());
                systems.add(logs);
                onStopping.add(logs::stopStreams);
                routes.add(logs.routes());
            }
            if (parts.contains(Part.REGISTRY)) {
                io.rustbucket.registry.parse.ParsedEventSink sink = systems.stream()
                        .filter(LogPlatform.class::isInstance)
                        .map(l ->
                                (io.rustbucket.registry.parse.ParsedEventSink) new ParsedEventsToLogs((LogPlatform) l))
                        .findFirst()
                        .orElse(io.rustbucket.registry.parse.ParsedEventSink.NONE);
                io.rustbucket.registry.Registry registry =
                        io.rustbucket.registry.Registry.start(core, config.registry(), sink);
                systems.add(registry);
                routes.add(registry.routes());
            }
            if (parts.contains(Part.SENSOR)) {
                systems.add(SensorInPlatform.start(config, data, core, systems, env, clock));
            }
            if (parts.contains(Part.ALERTS)) {
                LogPlatform logs = systems.stream()
                        .filter(LogPlatform.class::isInstance)
                        .map(LogPlatform.class::cast)
                        .findFirst()
                        .orElseThrow(
                                () -> new StartupException("alerts need the log platform in the same process", null));
                io.rustbucket.alerts.monitor.SensorWatch sensors = systems.stream()
                        .filter(io.rustbucket.registry.Registry.class::isInstance)
                        .map(r -> RegistrySensorWatch.of((io.rustbucket.registry.Registry) r))
                        .findFirst()
                        .orElse(io.rustbucket.alerts.monitor.SensorWatch.NONE);
                io.rustbucket.alerts.Alerts alerts = io.rustbucket.alerts.Alerts.start(
                        core, config.alerts(), logs, sensors, config.platform().publicUrl());
                systems.add(alerts);
                routes.add(alerts.routes());
                systems.add(new RoomsToSpam(
                        core.store(),
                        alerts.spam(),
                        clock,
                        java.time.Duration.ofSeconds(config.alerts().roomsCheckSecs())));
            }
            if (parts.contains(Part.ASSISTANT)) {
                io.rustbucket.assistant.Assistant assistant = io.rustbucket.assistant.Assistant.start(
                        core, config.assistant(), config.platform().publicUrl());
                systems.add(assistant);
                onStopping.add(assistant::stopStreams);
                routes.add(assistant.routes());
            }
            io.rustbucket.console.Console console = new io.rustbucket.console.Console(
                    core,
                    new io.rustbucket.console.Console.Systems(
                            system(systems, io.rustbucket.registry.Registry.class),
                            system(systems, LogPlatform.class),
                            system(systems, io.rustbucket.alerts.Alerts.class),
                            parts.contains(Part.SENSOR) ? Optional.of(sensorSettings(config)) : Optional.empty(),
                            system(systems, io.rustbucket.assistant.Assistant.class)));
            systems.add(console);
            onStopping.add(console::stopStreams);
            routes.add(console);
            core.readiness().starting("platform-http");
            ApiServer http = ApiServer.start(
                    config.platform().host(),
                    config.platform().port(),
                    config.http(),
                    core.readiness(),
                    core.metrics(),
                    routes);
            String base = baseUrl(config, http.port());
            system(systems, SensorInPlatform.class).ifPresent(sensor -> {
                if (parts.contains(Part.LOGS)) {
                    String local = reachable(config.platform().host());
                    sensor.shipTo(
                            java.net.URI.create("http://" + (local.contains(":") ? "[" + local + "]" : local) + ":"
                                    + http.port() + "/ingest"),
                            sensorFeedToken(core));
                }
            });
            core.readiness().register("platform-http", () -> PartState.ready("platform-http", base));
            Map<String, String> endpoints = new LinkedHashMap<>();
            endpoints.put("console", base + "/");
            endpoints.put("health", base + "/healthz");
            endpoints.put("readiness", base + "/readyz");
            endpoints.put("metrics", base + "/metrics");
            if (parts.contains(Part.LOGS)) {
                endpoints.put("ingest", base + "/ingest");
                endpoints.put("log search", base + "/api/logs/search");
            }
            if (parts.contains(Part.ALERTS)) {
                endpoints.put("alerts", base + "/api/alerts");
                endpoints.put("spam check", base + "/api/spam/check");
            }
            if (parts.contains(Part.ASSISTANT)) {
                endpoints.put("assistant", base + "/api/conversations");
                endpoints.put("openai api", base + "/api/v1");
            }
            if (parts.contains(Part.REGISTRY)) {
                endpoints.put("registration", base + "/register_bucket");
                endpoints.put("sensors", base + "/api/sensors");
            }
            systems.stream()
                    .filter(SensorInPlatform.class::isInstance)
                    .map(SensorInPlatform.class::cast)
                    .forEach(s -> s.endpoints().forEach(endpoints::put));
            log.info(
                    "data directory {}; database {}; object store {}",
                    data,
                    core.database().vendor().folder(),
                    core.store().describe());
            return new Platform(core, systems, onStopping, http, endpoints, password);
        } catch (RuntimeException e) {
            closeAll(systems);
            core.close();
            throw e;
        }
    }

    /**
     * The ingest token of the sensor's live feed: a service account {@code sensor-feed} (made once, no usable
     * password) gets a fresh token at every start; the previous start's tokens of that name are revoked.
     */
    static String sensorFeedToken(CoreServices core) {
        var accounts = core.accounts();
        var user = accounts.findByLogin("sensor-feed")
                .orElseGet(() -> accounts.create(
                        "sensor-feed",
                        null,
                        "Sensor feed (up)",
                        io.rustbucket.core.auth.SecretTokens.generate("", 32),
                        java.util.EnumSet.of(io.rustbucket.core.auth.Role.ANALYST),
                        false));
        for (var t : core.tokens().list(user.id())) {
            if ("sensor feed".equals(t.name()) && t.revokedAt() == null) {
                core.tokens().revoke(user.id(), t.id());
            }
        }
        return core.tokens()
                .create(user, "sensor feed", io.rustbucket.core.auth.Scope.INGEST, null)
                .token();
    }

    /** What the console's settings page shows of the in-process sensor. */
    private static io.rustbucket.console.Console.SensorSettings sensorSettings(RustbucketConfig config) {
        var sensor = config.sensor();
        var r = sensor.responder();
        Map<String, Object> budgets = new LinkedHashMap<>();
        budgets.put("model", r.model() == null || r.model().isEmpty() ? "(default)" : r.model());
        budgets.put("answer deadline, ms", r.timeoutMs());
        budgets.put("answers per source IP per minute", r.ratePerMinute());
        budgets.put("answers per source IP per day", r.perIpDailyRequests());
        budgets.put("tokens per source IP per day", r.perIpDailyTokens());
        budgets.put("answers per day, all attackers", r.globalDailyRequests());
        budgets.put("tokens per day, all attackers", r.globalDailyTokens());
        return new io.rustbucket.console.Console.SensorSettings(sensor.name(), sensor.persona(), budgets);
    }

    public Map<String, String> endpoints() {
        return endpoints;
    }

    public Optional<String> initialAdminPassword() {
        return initialAdminPassword;
    }

    public int httpPort() {
        return http.port();
    }

    public CoreServices core() {
        return core;
    }

    /** A running system of the given type, when this platform runs it. */
    public <T> Optional<T> system(Class<T> type) {
        return system(systems, type);
    }

    private static <T> Optional<T> system(List<AutoCloseable> systems, Class<T> type) {
        return systems.stream().filter(type::isInstance).map(type::cast).findFirst();
    }

    @Override
    public void close() {
        onStopping.forEach(Runnable::run);
        try {
            http.close();
        } finally {
            closeAll(systems);
            core.close();
        }
    }

    /** Stops systems newest first; one failing to stop does not keep the others running. */
    private static void closeAll(List<AutoCloseable> systems) {
        for (AutoCloseable s : systems.reversed()) {
            try {
                s.close();
            } catch (Exception e) {
                log.warn("stopping {} failed: {}", s.getClass().getSimpleName(), e.getMessage());
            }
        }
    }

    /** The address a local client uses to reach a server bound to {@code host} (a wildcard means loopback). */
    static String reachable(String host) {
        return host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
    }

    private static String baseUrl(RustbucketConfig config, int port) {
        if (!config.platform().publicUrl().isEmpty()) {
            return config.platform().publicUrl().replaceAll("/+$", "");
        }
        String shown = reachable(config.platform().host());
        return "http://" + (shown.contains(":") ? "[" + shown + "]" : shown) + ":" + port;
    }

    /** Creates the data directory and proves it is writable, so a bad path fails now and not at the first write. */
    static Path prepareDataDir(Path data) {
        try {
            Files.createDirectories(data);
            Path probe = Files.createTempFile(data, ".write-check", ".tmp");
            Files.delete(probe);
            return data;
        } catch (IOException | SecurityException e) {
            throw new StartupException(
                    "data directory " + data + " is not writable ("
                            + e.getClass().getSimpleName() + ": " + e.getMessage()
                            + "); choose another with --data or RUSTBUCKET_DATA_DIR",
                    e);
        }
    }
}
