package io.rustbucket.sensor;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rustbucket.core.llm.LlmGateway;
import io.rustbucket.core.store.ObjectStore;
import io.rustbucket.core.store.ObjectStores;
import io.rustbucket.core.store.StoreConfig;
import io.rustbucket.sensor.ftp.FtpHandler;
import io.rustbucket.sensor.http.HttpHandler;
import io.rustbucket.sensor.listen.ConnectionGate;
import io.rustbucket.sensor.listen.Listener;
import io.rustbucket.sensor.listen.ProtocolHandler;
import io.rustbucket.sensor.manage.LogReader;
import io.rustbucket.sensor.manage.ManagementApi;
import io.rustbucket.sensor.manage.ManagementServer;
import io.rustbucket.sensor.manage.RegistryClient;
import io.rustbucket.sensor.record.LogCollector;
import io.rustbucket.sensor.record.Quarantine;
import io.rustbucket.sensor.record.SensorEvent;
import io.rustbucket.sensor.respond.Responder;
import io.rustbucket.sensor.shell.FakeHost;
import io.rustbucket.sensor.shell.FakeMachine;
import io.rustbucket.sensor.ship.LogBatcher;
import io.rustbucket.sensor.ship.LogUploader;
import io.rustbucket.sensor.smtp.SmtpHandler;
import io.rustbucket.sensor.ssh.SshSensor;
import io.rustbucket.sensor.telnet.TelnetHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running honeypot: recorder, fake host and responder, the five listeners, the management port, shipping and
 * registration, started from a {@link SensorConfig}. Alone ({@code ./rustbucket sensor}) it owns its model and
 * bucket; inside {@code ./rustbucket up} it is handed the platform's.
 */
public final class Sensor implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Sensor.class);

    /** What the platform lends a sensor it runs; each empty = the sensor's own from its configuration. */
    public record Shared(Optional<LlmGateway> gateway, Optional<ObjectStore> store, Consumer<SensorEvent> alsoTo) {
        public static Shared none() {
            return new Shared(Optional.empty(), Optional.empty(), e -> {});
        }
    }

    private final SensorConfig config;
    private final LogCollector collector;
    private final Responder responder;
    private final ScheduledExecutorService deadlines = Listener.deadlineScheduler();
    private final ScheduledExecutorService shipping = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("sensor-shipping").factory());
    private final List<AutoCloseable> closeables = new ArrayList<>();
    private final Map<String, Integer> ports = new LinkedHashMap<>();
    private final List<Listener> listeners = new ArrayList<>();
    private final LogBatcher batcher;
    /** Answers the registry's polls, and gives registration the same metrics. */
    private final ManagementApi api;

    private SshSensor ssh;
    private ManagementServer management;

    private Sensor(SensorConfig config, Shared shared, Map<String, String> env, Clock clock) throws IOException {
        this.config = config;
        Path data = config.general().data();
        Files.createDirectories(data);
        this.collector =
                new LogCollector(config.general().logs(), config.general().queueCapacity());
        closeables.add(collector);
        Consumer<SensorEvent> recorder = e -> {
            collector.record(e);
            shared.alsoTo().accept(e);
        };
        LlmGateway gateway = shared.gateway().orElse(null);
        if (gateway == null && config.llmConfig().isPresent()) {
            gateway = new LlmGateway(config.llmConfig().get(), env, clock, new SimpleMeterRegistry());
            closeables.add(gateway);
        }
        if (gateway != null && gatewayIsOffline(gateway, config)) {
            gateway = null; // the built-in offline model must never answer an attacker
        }
        FakeMachine machine =
                FakeMachine.forSensor(config.name(), config.shell().hostname(), clock);
        this.responder = new Responder(
                gateway,
                config.persona(),
                "The server's hostname is " + machine.hostname() + ", it runs " + machine.osName() + " with kernel "
                        + machine.kernel() + " on x86_64, private address " + machine.privateIp() + ".",
                config.responder(),
                clock);
        FakeHost host = new FakeHost(machine, config.login(), responder);
        SensorLimits limits = config.limits();
        Quarantine quarantine = new Quarantine(data.resolve("quarantine"), limits.uploadMaxBytes());
        ConnectionGate gate = new ConnectionGate(limits.maxConnections(), limits.perIpConnections());
        InetAddress bind = InetAddress.getByName(config.general().bindAddress());

        String key = managementKey(config, data);
        this.api = new ManagementApi(
                config.name(),
                () -> key,
                new LogReader(config.general().logs()),
                config.management().maxResponseKb() * 1024,
                this::openConnections,
                data.toFile());

        SensorConfig.Ports p = config.ports();
        try {
            listen(
                    "ftp",
                    p.ftp(),
                    bind,
                    gate,
                    limits,
                    new FtpHandler(host, p.ftp().banner(), limits, quarantine),
                    clock,
                    recorder);
            listen("telnet", p.telnet(), bind, gate, limits, new TelnetHandler(host, limits), clock, recorder);
            listen(
                    "smtp",
                    p.smtp(),
                    bind,
                    gate,
                    limits,
                    new SmtpHandler(config.shell().smtpHostname(), p.smtp().banner(), limits),
                    clock,
                    recorder);
            listen(
                    "http",
                    p.http(),
                    bind,
                    gate,
                    limits,
                    new HttpHandler(p.http().version(), limits, clock, api),
                    clock,
                    recorder);
            if (p.ssh().enabled()) {
                ssh = new SshSensor(
                        bind,
                        p.ssh().port(),
                        p.ssh().version(),
                        host,
                        gate,
                        limits,
                        quarantine,
                        data,
                        config.name(),
                        clock,
                        recorder,
                        deadlines);
                closeables.add(ssh);
                ports.put("ssh", ssh.port());
            }
            if (config.management().enabled()) {
                management = new ManagementServer(
                        config.general().bindAddress(), config.management().port(), data, api);
                closeables.add(management);
                ports.put("management", management.port());
            }
        } catch (IOException | RuntimeException e) {
            close();
            throw e;
        }

        ObjectStore store = shared.store().orElseGet(() -> ownStore(config, data));
        this.batcher = new LogBatcher(
                config.general().logs(),
                data.resolve("shipping"),
                config.name(),
                config.aws().s3Prefix(),
                new LogUploader(store),
                clock,
                Duration.ofDays(config.general().retentionDays()),
                config.general().retentionMaxMb() * 1024L * 1024L);
        long every = config.general().uploadIntervalSecs();
        shipping.scheduleWithFixedDelay(this::ship, every, every, TimeUnit.SECONDS);

        if (!config.registration().rustbucketRegistryUrl().isEmpty()) {
            RegistryClient registry = new RegistryClient(
                    config.registration().rustbucketRegistryUrl(), key, data, this::registrationFields);
            registry.start();
            closeables.add(registry);
        }
    }

    /** Starts a sensor; fails with a one-line reason when a port is taken or a directory unusable. */
    public static Sensor start(SensorConfig config, Shared shared, Map<String, String> env, Clock clock)
            throws IOException {
        return new Sensor(config, shared, env, clock);
    }

    private static boolean gatewayIsOffline(LlmGateway gateway, SensorConfig config) {
        String model = config.responder().model().isEmpty()
                ? gateway.defaultModel()
                : config.responder().model();
        return gateway.model(model)
                .map(m -> m.provider() == io.rustbucket.core.llm.ModelConfig.Provider.OFFLINE)
                .orElse(true);
    }

    private void listen(
            String name,
            SensorConfig.Service s,
            InetAddress bind,
            ConnectionGate gate,
            SensorLimits limits,
            ProtocolHandler handler,
            Clock clock,
            Consumer<SensorEvent> recorder)
            throws IOException {
        if (!s.enabled()) {
            return;
        }
        try {
            Listener l = new Listener(
                    name, bind, s.port(), gate, limits, handler, config.name(), clock, recorder, deadlines);
            listeners.add(l);
            closeables.add(l);
            ports.put(name, l.port());
        } catch (java.net.BindException e) {
            throw new IOException(
                    name + " port " + s.port() + " is in use or not permitted (" + e.getMessage() + ")", e);
        }
    }

    private static ObjectStore ownStore(SensorConfig config, Path data) {
        if (config.aws().s3Bucket().isEmpty()) {
            return ObjectStores.open(
                    new StoreConfig(
                            StoreConfig.Kind.FOLDER, data.resolve("bucket").toString(), null),
                    data);
        }
        SensorConfig.Aws a = config.aws();
        return ObjectStores.open(
                new StoreConfig(
                        StoreConfig.Kind.S3,
                        null,
                        new StoreConfig.S3(
                                a.s3Bucket(),
                                a.s3Region(),
                                a.s3Endpoint(),
                                !a.s3Endpoint().isEmpty(),
                                "",
                                null,
                                null,
                                null,
                                null)),
                data);
    }

    /** The key the registry uses to poll: the registration key, else one generated once and kept (0600). */
    static String managementKey(SensorConfig config, Path data) throws IOException {
        if (!config.registration().registrationKey().isEmpty()) {
            return config.registration().registrationKey();
        }
        Path file = data.resolve("management-key");
        if (Files.exists(file)) {
            return Files.readString(file).strip();
        }
        byte[] raw = new byte[32];
        new SecureRandom().nextBytes(raw);
        String key = HexFormat.of().formatHex(raw);
        Files.writeString(file, key + "\n");
        Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        return key;
    }

    private Map<String, Object> registrationFields() {
        Map<String, Object> m = new LinkedHashMap<>();
        Map<String, Object> s = api.status();
        m.put("name", config.name());
        m.put("ip_address", ManagementApi.localIp());
        m.put("operating_system", s.get("operating_system"));
        for (String k : List.of("cpu_usage", "memory_usage", "disk_space", "uptime", "connections")) {
            m.put(k, s.get(k));
        }
        if (!config.aws().s3Bucket().isEmpty()) {
            m.put("s3_bucket_name", config.aws().s3Bucket());
            m.put("s3_region", config.aws().s3Region());
            m.put("s3_prefix", config.aws().s3Prefix());
        }
        if (management != null) {
            String url = config.management().publicUrl().isEmpty()
                    ? "https://" + ManagementApi.localIp() + ":" + management.port()
                    : config.management().publicUrl();
            m.put("mgmt_url", url);
            m.put("mgmt_cert_sha256", management.fingerprint());
        }
        return m;
    }

    /** One shipping interval; failures are logged and retried next time, never fatal. */
    public void ship() {
        try {
            batcher.runOnce();
        } catch (IOException | UncheckedIOException | io.rustbucket.core.store.StoreException e) {
            log.warn("log shipping failed, retried next interval: {}", e.getMessage());
        }
    }

    /** Listener name to bound port (ftp, telnet, smtp, http, ssh, management). */
    public Map<String, Integer> ports() {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(ports)); // in start order
    }

    public int openConnections() {
        return listeners.stream().mapToInt(Listener::openConnections).sum() + (ssh == null ? 0 : ssh.openConnections());
    }

    public Responder responder() {
        return responder;
    }

    public LogCollector collector() {
        return collector;
    }

    public String managementFingerprint() {
        return management == null ? "" : management.fingerprint();
    }

    @Override
    public void close() {
        shipping.shutdownNow();
        for (int i = closeables.size() - 1; i >= 0; i--) {
            try {
                closeables.get(i).close();
            } catch (Exception e) {
                log.warn("closing {} failed: {}", closeables.get(i).getClass().getSimpleName(), e.getMessage());
            }
        }
        deadlines.shutdownNow();
    }
}
