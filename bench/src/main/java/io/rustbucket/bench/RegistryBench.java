package io.rustbucket.bench;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.rustbucket.core.auth.AuthConfig;
import io.rustbucket.core.auth.PasswordHasher;
import io.rustbucket.core.llm.LlmConfig;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.core.sql.DatabaseConfig;
import io.rustbucket.core.store.StoreConfig;
import io.rustbucket.registry.Registry;
import io.rustbucket.registry.RegistryConfig;
import io.rustbucket.registry.archive.Archive;
import io.rustbucket.registry.sensors.SensorStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.BitSet;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.zip.GZIPInputStream;

/**
 * The registry's goals: {@code SENSORS} simulated sensors on loopback polled in one update cycle (time, heap); then
 * {@code LOG_SENSORS} sensors x {@code MB} MB of logs pulled in 1 MiB pages and archived, every line checked (none
 * lost, none duplicated); then the parser's events per second over that archive. Sensors are legacy plain-HTTP ones
 * (one loopback server answers for all of them by key), so the figures are the registry's own cost, without TLS.
 * Usage: {@code bench/run.sh registry [SENSORS LOG_SENSORS MB [JDBC_URL]]}.
 */
public final class RegistryBench {
    static final int PAGE_BYTES = 1024 * 1024;

    public static void main(String[] args) throws Exception {
        int sensors = args.length > 0 ? Integer.parseInt(args[0]) : 1000;
        int logSensors = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        int mb = args.length > 2 ? Integer.parseInt(args[2]) : 10;
        String jdbc = args.length > 3 ? args[3] : "";
        Path data = Files.createTempDirectory("rb-registry-bench");
        Map<String, Integer> byKey = new ConcurrentHashMap<>();
        long linesPerSensor = (long) mb * 1024 * 1024 / line(0, 0).length();
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 1024);
        server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
        server.createContext("/", ex -> answer(ex, byKey, linesPerSensor));
        server.start();
        Map<String, Object> rc = new HashMap<>(Map.of(
                "legacy_http_port",
                server.getAddress().getPort(),
                "poll_concurrency",
                64,
                "auto_approve",
                true,
                "max_pages_per_pull",
                100_000));
        RegistryConfig config = io.rustbucket.core.json.Json.mapper().convertValue(rc, RegistryConfig.class);
        DatabaseConfig db = jdbc.isEmpty() ? DatabaseConfig.defaults() : new DatabaseConfig(jdbc, "", "", 16, 10);
        try (CoreServices core = CoreServices.open(
                        data,
                        db,
                        StoreConfig.defaults(),
                        AuthConfig.defaults(),
                        LlmConfig.defaults(),
                        Map.of(),
                        new PasswordHasher(1024, 1),
                        Clock.systemUTC());
                Registry registry = Registry.open(core, config)) {
            System.out.printf(
                    "database %s, %d sensors, logs %d x %d MB%n",
                    core.database().vendor(), sensors, logSensors, mb);
            for (int i = 0; i < sensors; i++) {
                String key = registry.keys().create("bench", "s" + i, null).key();
                byKey.put(key, i);
                String body = "{\"name\":\"s" + i + "\",\"ip_address\":\"127.0.0.1\",\"operating_system\":\"linux\","
                        + "\"registration_key\":\"" + key + "\"}";
                var a = registry.registration().register(body.getBytes(StandardCharsets.UTF_8));
                if (a.status() != 200) {
                    throw new IllegalStateException(a.body().toString());
                }
            }
            System.gc();
            Registry.JobRun updates = registry.runJob(Registry.Job.PULL_UPDATES);
            System.out.printf("pull-updates: %s%n", updates.summary());
            System.gc();
            long heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
            System.out.printf(
                    "heap after the cycle (after GC): %.1f MB; max heap %.0f MB%n",
                    heap / 1e6, Runtime.getRuntime().maxMemory() / 1e6);

            // Only the first LOG_SENSORS stay Active for the log pull.
            registry.sensors().list().stream()
                    .filter(s -> Integer.parseInt(s.name().substring(1)) >= logSensors)
                    .forEach(s -> registry.sensors().setStatus(s.id(), SensorStatus.INACTIVE, "bench"));
            long t0 = System.nanoTime();
            Registry.JobRun logs = registry.runJob(Registry.Job.PULL_LOGS);
            double pullSecs = (System.nanoTime() - t0) / 1e9;
            System.out.printf("pull-logs: %s; %.1f MB/s of log text%n", logs.summary(), logSensors * mb / pullSecs);
            verify(core, logSensors, linesPerSensor);
            long t1 = System.nanoTime();
            Registry.JobRun parse = registry.runJob(Registry.Job.PARSE);
            double parseSecs = (System.nanoTime() - t1) / 1e9;
            long events = core.database()
                    .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sensor_events")
                            .mapTo(Long.class)
                            .one());
            System.out.printf(
                    "parse: %s%nparser: %d events in %.1f s = %.0f events/s into %s%n",
                    parse.summary(),
                    events,
                    parseSecs,
                    events / parseSecs,
                    core.database().vendor());
        } finally {
            server.stop(0);
        }
    }

    /** Reads back every archived object: each sensor's line numbers must be exactly 0..N-1, once each. */
    static void verify(CoreServices core, int logSensors, long linesPerSensor) throws Exception {
        Map<Integer, BitSet> seen = new HashMap<>();
        long lines = 0;
        long dups = 0;
        for (var o : core.store().listAll(Archive.PULLED).toList()) {
            try (var r = new BufferedReader(
                    new InputStreamReader(new GZIPInputStream(core.store().get(o.key())), StandardCharsets.UTF_8))) {
                for (String l; (l = r.readLine()) != null; ) {
                    int s = Integer.parseInt(
                            l.substring(l.indexOf("\"observer.name\":\"s") + 18, l.indexOf("\",\"session")));
                    int n = Integer.parseInt(
                            l.substring(l.indexOf("\"seq\":") + 6, l.indexOf('}', l.indexOf("\"seq\":"))));
                    BitSet b = seen.computeIfAbsent(s, k -> new BitSet());
                    if (b.get(n)) {
                        dups++;
                    }
                    b.set(n);
                    lines++;
                }
            }
        }
        long lost = 0;
        for (int s = 0; s < logSensors; s++) {
            BitSet b = seen.getOrDefault(s, new BitSet());
            lost += linesPerSensor - b.cardinality();
        }
        System.out.printf("archive: %d lines read back; lost %d, duplicated %d%n", lines, lost, dups);
    }

    static String line(int sensor, long seq) {
        return String.format(
                "{\"@timestamp\":\"2026-11-22T10:00:00Z\",\"event.id\":\"%08d-%012d\",\"event.action\":\"command\","
                        + "\"observer.name\":\"s%d\",\"session\":\"x\",\"source.ip\":\"203.0.113.%d\","
                        + "\"honeypot.input\":\"uname -a; cat /proc/cpuinfo | grep name | head -n 1\",\"seq\":%d}%n",
                sensor, seq, sensor, seq % 250, seq);
    }

    private static void answer(HttpExchange ex, Map<String, Integer> byKey, long linesPerSensor)
            throws java.io.IOException {
        String auth = ex.getRequestHeaders().getFirst("Authorization");
        Integer sensor = auth == null ? null : byKey.get(auth.substring(auth.indexOf(' ') + 1));
        if (sensor == null) {
            ex.sendResponseHeaders(404, -1);
            ex.close();
            return;
        }
        byte[] body;
        if (ex.getRequestURI().getPath().equals("/update_bucket")) {
            body = ("{\"status\":\"ok\",\"updates\":[{\"cpu_usage\":\"1.0%\",\"memory_usage\":\"20.0%\","
                            + "\"disk_space\":\"1/2 GB free\",\"uptime\":\"0d 1h 0m\",\"connections\":\"3\"}]}")
                    .getBytes(StandardCharsets.UTF_8);
        } else {
            String q = ex.getRequestURI().getQuery();
            long from = q == null ? 0 : Long.parseLong(q.substring(q.indexOf('=') + 1));
            StringBuilder b = new StringBuilder();
            long n = from;
            while (n < linesPerSensor && b.length() < PAGE_BYTES) {
                b.append(line(sensor, n++));
            }
            body = b.toString().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().add("X-Log-Cursor", String.valueOf(n));
            ex.getResponseHeaders().add("X-Log-More", String.valueOf(n < linesPerSensor));
        }
        ex.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(body);
        }
    }
}
