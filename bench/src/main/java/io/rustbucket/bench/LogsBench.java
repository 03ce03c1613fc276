package io.rustbucket.bench;

import io.rustbucket.core.auth.AuthConfig;
import io.rustbucket.core.auth.PasswordHasher;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.auth.Scope;
import io.rustbucket.core.http.ApiServer;
import io.rustbucket.core.http.HttpLimits;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.llm.LlmConfig;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.core.store.StoreConfig;
import io.rustbucket.logs.LogPlatform;
import io.rustbucket.logs.LogsConfig;
import io.rustbucket.logs.ecs.EcsNormalizer;
import io.rustbucket.logs.ecs.LogEvent;
import io.rustbucket.logs.index.LogQuery;
import io.rustbucket.logs.index.lucene.LuceneIndex;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Log platform on embedded Lucene: (1) HTTP accept -> searchable, batches of 200, 4 concurrent shippers, beside
 * direct indexing of the same events into a bare LuceneIndex in the same run; (2) search latency over
 * 1,000,000 events (query string + filters + time range); (3) a flood beyond the queue: 429s, and the queue
 * never deeper than its capacity.
 */
public final class LogsBench {
    /** Concurrent shipper connections (-Dshippers=N); real fleets have many, each sending 200 events a second. */
    static final int SHIPPERS = Integer.getInteger("shippers", 4);
    /** Events each OpenSearch side indexes before its timed run (-Dwarmup=N). */
    static final int WARMUP = Integer.getInteger("warmup", 200_000);
    /** Timed rounds on OpenSearch, each a direct run then a pipeline run (-Drounds=N): the node's pace drifts. */
    static final int ROUNDS = Integer.getInteger("rounds", 3);
    /** Events per ingest request (-Dbatch=N). */
    static final int BATCH = Integer.getInteger("batch", 200);

    static final String[] ACTIONS = {"login.attempt", "command", "http.request", "connection.open", "mail.message"};
    static final String[] WORDS = {"root", "admin", "wget", "curl", "busybox", "passwd", "nproc", "uname", "cat", "echo"
    };

    public static void main(String[] args) throws Exception {
        Path dir = Files.createTempDirectory("logs-bench");
        System.out.printf(
                "machine: %d cores, %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));
        if (args.length > 0 && args[0].equals("serve")) {
            serve(dir, args[1], args[2], Path.of(args[3]));
            return;
        }
        if (args.length > 0 && args[0].startsWith("http")) {
            openSearch(dir, args[0], args.length > 1 ? Integer.parseInt(args[1]) : 100_000);
            return;
        }
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        endToEnd(dir, events);
        searchLatency(dir.resolve("million"), 1_000_000);
    }

    /**
     * On a live OpenSearch node: a direct loader (one thread, {@code _bulk} of 5,000 events) against our pipeline
     * (HTTP ingest, batches of 200, 4 shippers, queue, indexer, bulk), same events, same node, same run. The two
     * alternate for {@link #ROUNDS} rounds, each ratio taken within its round: the node's own pace moves by half
     * from minute to minute (merges, its JIT and GC), more than anything the ratio is meant to show. Our platform
     * runs in a JVM of its own with the launcher's options ({@link #serve}), as in production: in this JVM, the
     * loaders' prebuilt events (hundreds of MB) made its collector's pauses the largest cost measured.
     */
    static void openSearch(Path dir, String url, int total) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Instant base = Instant.now().minus(Duration.ofHours(6));
        Random r = new Random(1);
        // Both sides warm up first (JIT, connections, the node's caches) on WARMUP events of their own, so the ratio
        // compares steady states rather than our JVM's first seconds against a node that is already warm. The
        // per-request code runs once per 200 events: it takes a long warm-up to be compiled.
        int warm = WARMUP;
        List<String> docs = new ArrayList<>();
        for (int i = 0; i < Math.max(total, warm); i++) {
            docs.add(Json.write(io.rustbucket.logs.index.LogDocument.source(
                    EcsNormalizer.normalize(Json.mapper().readTree(event(r, i, base)), Instant.now()))));
        }
        direct(client, url, docs.subList(0, warm), base, "w");

        String prefix = "bench" + System.currentTimeMillis() % 100000;
        Path ready = dir.resolve("server-ready");
        List<String> command = new ArrayList<>(
                List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        String opts = System.getenv().getOrDefault("LOGS_SERVER_JAVA_OPTS", "");
        if (!opts.isBlank()) {
            command.addAll(List.of(opts.trim().split("\\s+")));
        }
        command.addAll(List.of(
                "-cp",
                System.getProperty("java.class.path"),
                LogsBench.class.getName(),
                "serve",
                url,
                prefix,
                ready.toString()));
        Process server = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("server.log").toFile())
                .start();
        while (!Files.exists(ready)) {
            if (!server.isAlive()) {
                throw new IllegalStateException("the platform did not start: " + dir.resolve("server.log"));
            }
            Thread.sleep(100);
        }
        String[] portAndToken = Files.readString(ready).trim().split(" ");
        URI ingest = URI.create("http://127.0.0.1:" + portAndToken[0] + "/ingest");
        String token = portAndToken[1];
        System.out.println("platform in its own JVM (" + (opts.isBlank() ? "default options" : opts.trim()) + ")");
        ship(client, ingest, token, batches(warm, base.minus(Duration.ofHours(1))));
        awaitSearchable(client, url, prefix, warm);
        List<Double> ratios = new ArrayList<>();
        for (int round = 1; round <= ROUNDS; round++) {
            awaitNodeQuiet(client, url);
            double directRate = direct(client, url, docs.subList(0, total), base, "d" + round);
            // each round's events are new to the pipeline too (other times, so other ids): created, not updated
            List<String> bodies = batches(total, base.minus(Duration.ofMinutes(round)));
            awaitNodeQuiet(client, url);
            System.out.println("pipeline: timed run starts (direct loader: " + Math.round(directRate) + " events/s)");
            long t1 = System.nanoTime();
            ship(client, ingest, token, bodies);
            awaitSearchable(client, url, prefix, warm + (long) round * total);
            double pipelineRate = total / ((System.nanoTime() - t1) / 1e9);
            ratios.add(pipelineRate / directRate);
            System.out.printf(
                    "OpenSearch round %d, %,d events after %,d of warm-up each: direct _bulk loader %,.0f events/s; our pipeline (HTTP, batches of %d, %d shippers) %,.0f events/s; ratio %.2f (goal >= 0.8)%n",
                    round, total, warm, directRate, BATCH, SHIPPERS, pipelineRate, pipelineRate / directRate);
        }
        List<Double> sorted = new ArrayList<>(ratios);
        sorted.sort(null);
        System.out.printf(
                "OpenSearch ratios %s: median %.2f (goal >= 0.8)%n",
                ratios.stream().map(x -> String.format("%.2f", x)).toList(), sorted.get(sorted.size() / 2));
        server.getOutputStream().close(); // the server's cue to stop
        server.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
        for (String pattern : List.of(prefix + "-*", "direct-*")) {
            node(client, "DELETE", url + "/" + pattern);
        }
    }

    /**
     * The platform under test, in its own JVM: a log platform on the OpenSearch node at {@code url} with index
     * prefix {@code prefix}; writes "PORT TOKEN" to {@code ready} once it takes requests, stops when stdin ends.
     */
    static void serve(Path dir, String url, String prefix, Path ready) throws Exception {
        try (Stack stack = Stack.start(
                dir,
                new LogsConfig(
                        LogsConfig.Backend.OPENSEARCH,
                        3650,
                        Integer.getInteger("queue", 100_000),
                        null,
                        500,
                        null,
                        null,
                        null,
                        new io.rustbucket.logs.index.opensearch.OpenSearchConfig(
                                url, null, null, prefix, 0, 1, null, 5000, null)))) {
            Path tmp = ready.resolveSibling(ready.getFileName() + ".tmp");
            Files.writeString(tmp, stack.ingest().getPort() + " " + stack.token());
            Files.move(tmp, ready, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
            System.in.readAllBytes();
        }
    }

    /** The direct loader: one thread, {@code _bulk} of 5,000 pre-serialised documents, then a refresh; events/s. */
    static double direct(HttpClient client, String url, List<String> docs, Instant base, String idPrefix)
            throws Exception {
        int total = docs.size();
        String day = java.time.format.DateTimeFormatter.ofPattern("yyyy.MM.dd")
                .withZone(java.time.ZoneOffset.UTC)
                .format(base);
        // The bulk bodies are built before the clock starts, as our pipeline's request bodies are.
        List<byte[]> bulks = new ArrayList<>();
        for (int i = 0; i < total; i += 5000) {
            StringBuilder bulk = new StringBuilder();
            for (int j = i; j < Math.min(total, i + 5000); j++) {
                bulk.append("{\"index\":{\"_index\":\"direct-sensor-")
                        .append(day)
                        .append("\",\"_id\":\"")
                        .append(idPrefix)
                        .append(j)
                        .append("\"}}\n")
                        .append(docs.get(j))
                        .append('\n');
            }
            bulks.add(bulk.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }
        long t0 = System.nanoTime();
        for (byte[] bulk : bulks) {
            HttpResponse<String> resp = client.send(
                    HttpRequest.newBuilder(URI.create(url + "/_bulk"))
                            .header("Content-Type", "application/x-ndjson")
                            .POST(HttpRequest.BodyPublishers.ofByteArray(bulk))
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            if (resp.statusCode() != 200 || resp.body().contains("\"errors\":true")) {
                throw new IllegalStateException("direct bulk failed: "
                        + resp.body().substring(0, Math.min(300, resp.body().length())));
            }
        }
        node(client, "POST", url + "/direct-*/_refresh");
        return total / ((System.nanoTime() - t0) / 1e9);
    }

    /** A bodiless request to the node; its answer's body. */
    static String node(HttpClient client, String method, String uri) throws Exception {
        return client.send(
                        HttpRequest.newBuilder(URI.create(uri))
                                .method(method, HttpRequest.BodyPublishers.noBody())
                                .build(),
                        HttpResponse.BodyHandlers.ofString())
                .body();
    }

    /**
     * Flushes every index (a translog past its threshold makes the node commit in the middle of whichever run comes
     * next) and waits (at most a minute) until the node runs no merges, so neither side's timed run pays for what
     * the other side indexed just before it.
     */
    static void awaitNodeQuiet(HttpClient client, String url) throws Exception {
        node(client, "POST", url + "/_flush");
        long until = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < until) {
            String stats = node(client, "GET", url + "/_nodes/stats/indices/merge?filter_path=**.merges.current");
            if (!Json.mapper().readTree(stats).findValues("current").stream().anyMatch(n -> n.asLong() > 0)) {
                return;
            }
            Thread.sleep(200);
        }
    }

    /** Waits until the node counts {@code n} documents in the pipeline's indices (refreshing them, as a search would). */
    static void awaitSearchable(HttpClient client, String url, String prefix, long n) throws Exception {
        while (true) {
            node(client, "POST", url + "/" + prefix + "-*/_refresh");
            String count = node(client, "GET", url + "/" + prefix + "-*/_count");
            if (Json.mapper().readTree(count).path("count").asLong() >= n) {
                return;
            }
            Thread.sleep(50);
        }
    }

    /** Core services, a log platform, its HTTP API and an ingest token: what both pipeline runs measure. */
    record Stack(CoreServices core, LogPlatform logs, ApiServer http, URI ingest, String token)
            implements AutoCloseable {
        static Stack start(Path dir, LogsConfig config) {
            CoreServices core = CoreServices.open(
                    dir,
                    io.rustbucket.core.sql.DatabaseConfig.defaults(),
                    StoreConfig.defaults(),
                    AuthConfig.defaults(),
                    LlmConfig.defaults(),
                    Map.of(),
                    new PasswordHasher(1024, 1),
                    Clock.systemUTC());
            LogPlatform logs = LogPlatform.start(core, config);
            ApiServer http = ApiServer.start(
                    "127.0.0.1", 0, HttpLimits.defaults(), core.readiness(), core.metrics(), List.of(logs.routes()));
            String token = core.tokens()
                    .create(
                            core.accounts().create("bench", null, null, "bench-pass", Set.of(Role.ADMIN), false),
                            "bench",
                            Scope.INGEST,
                            null)
                    .token();
            return new Stack(core, logs, http, URI.create("http://127.0.0.1:" + http.port() + "/ingest"), token);
        }

        @Override
        public void close() {
            http.close();
            logs.close();
            core.close();
        }
    }

    /** The events as ingest request bodies: JSON arrays of {@link #BATCH} (200), as existing shippers send them. */
    static List<String> batches(int total, Instant base) {
        List<String> bodies = new ArrayList<>();
        Random r = new Random(1);
        for (int i = 0; i < total; i += BATCH) {
            StringBuilder b = new StringBuilder("[");
            for (int j = i; j < Math.min(total, i + BATCH); j++) {
                b.append(j == i ? "" : ",").append(event(r, j, base));
            }
            bodies.add(b.append(']').toString());
        }
        return bodies;
    }

    /** Posts every body with {@link #SHIPPERS} concurrent shippers, backing off on anything but 200; returns how many retries. */
    static long ship(HttpClient client, URI ingest, String token, List<String> bodies) throws InterruptedException {
        AtomicInteger next = new AtomicInteger();
        AtomicLong retries = new AtomicLong();
        List<Thread> shippers = new ArrayList<>();
        for (int s = 0; s < SHIPPERS; s++) {
            shippers.add(Thread.ofPlatform().start(() -> {
                int k;
                while ((k = next.getAndIncrement()) < bodies.size()) {
                    try {
                        while (client.send(
                                                HttpRequest.newBuilder(ingest)
                                                        .header("Authorization", "Bearer " + token)
                                                        .header("Content-Type", "application/json")
                                                        .POST(HttpRequest.BodyPublishers.ofString(bodies.get(k)))
                                                        .build(),
                                                HttpResponse.BodyHandlers.ofString())
                                        .statusCode()
                                != 200) {
                            retries.incrementAndGet(); // 429: back off as a shipper would
                            Thread.sleep(50);
                        }
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        for (Thread t : shippers) {
            t.join();
        }
        return retries.get();
    }

    static String event(Random r, int i, Instant base) {
        String ip = "203.0." + r.nextInt(4) + "." + r.nextInt(256);
        return "{\"@timestamp\":\"" + base.plusMillis(i * 7L) + "\",\"service.name\":\"sensor\",\"log.level\":\""
                + (i % 10 == 0 ? "warn" : "info") + "\",\"message\":\"" + WORDS[r.nextInt(WORDS.length)] + " "
                + WORDS[r.nextInt(WORDS.length)] + " from " + ip + " #" + i + "\",\"source\":{\"ip\":\"" + ip
                + "\"},\"event\":{\"action\":\"" + ACTIONS[i % ACTIONS.length] + "\"},\"observer\":{\"name\":\"sensor-"
                + (i % 20) + "\"},\"session\":{\"id\":\"s" + (i / 12) + "\"}}";
    }

    static void endToEnd(Path dir, int total) throws Exception {
        Stack stack =
                Stack.start(dir.resolve("e2e"), new LogsConfig(null, 3650, 100_000, null, 500, null, null, null, null));
        LogPlatform logs = stack.logs();
        Instant base = Instant.now().minus(Duration.ofHours(6));
        List<String> bodies = batches(total, base);
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        long t0 = System.nanoTime();
        long retries = ship(client, stack.ingest(), stack.token(), bodies);
        double acceptS = (System.nanoTime() - t0) / 1e9;
        LogQuery all = new LogQuery("", Map.of("service.name", "sensor"), null, null, 1, null);
        while (logs.search(all).total() < total) {
            Thread.sleep(20);
        }
        double e2eS = (System.nanoTime() - t0) / 1e9;
        stack.close();

        // Baseline: the same events straight into a bare index (no HTTP, no JSON parsing of requests, no queue).
        List<LogEvent> parsed = new ArrayList<>();
        Random r2 = new Random(1);
        for (int i = 0; i < total; i++) {
            parsed.add(EcsNormalizer.normalize(Json.mapper().readTree(event(r2, i, base)), Instant.now()));
        }
        LuceneIndex bare = new LuceneIndex(dir.resolve("bare"), Duration.ofMillis(500));
        long t1 = System.nanoTime();
        for (int i = 0; i < parsed.size(); i += 1000) {
            bare.index(parsed.subList(i, Math.min(parsed.size(), i + 1000)));
        }
        bare.refreshAll();
        double bareS = (System.nanoTime() - t1) / 1e9;
        bare.close();
        System.out.printf(
                "end to end (HTTP accept -> searchable), %,d events in batches of 200, 4 shippers: %,.0f events/s "
                        + "(accepted in %.1f s, %d retries after 429); bare Lucene indexing %,.0f events/s; ratio %.2f%n",
                total, total / e2eS, acceptS, retries, total / bareS, (total / e2eS) / (total / bareS));
    }

    static void searchLatency(Path dir, int total) throws Exception {
        LuceneIndex idx = new LuceneIndex(dir, Duration.ofMillis(500));
        Instant base = Instant.now().minus(Duration.ofDays(3));
        Random r = new Random(2);
        List<LogEvent> batch = new ArrayList<>();
        long t0 = System.nanoTime();
        for (int i = 0; i < total; i++) {
            batch.add(EcsNormalizer.normalize(
                    Json.mapper().readTree(event(r, i, base.plusMillis(i * 200L))), Instant.now()));
            if (batch.size() == 5000) {
                idx.index(batch);
                batch.clear();
            }
        }
        idx.index(batch);
        idx.refreshAll();
        System.out.printf(
                "indexed %,d events for the search test in %.1f s (%d daily indices)%n",
                total, (System.nanoTime() - t0) / 1e9, idx.indices().size());
        List<Long> micros = new ArrayList<>();
        Random q = new Random(3);
        for (int i = 0; i < 300; i++) {
            Instant from = base.plus(Duration.ofHours(q.nextInt(48)));
            LogQuery query = new LogQuery(
                    WORDS[q.nextInt(WORDS.length)],
                    Map.of(
                            "log.level",
                            i % 2 == 0 ? "INFO" : "WARN",
                            "event.action",
                            ACTIONS[q.nextInt(ACTIONS.length)]),
                    from,
                    from.plus(Duration.ofHours(12)),
                    50,
                    null);
            long s = System.nanoTime();
            idx.search(query);
            if (i >= 50) { // the first 50 warm up the JIT and caches
                micros.add((System.nanoTime() - s) / 1000);
            }
        }
        Collections.sort(micros);
        System.out.printf(
                "search over %,d events (q + 2 filters + 12 h range, 50 hits, exact total): p50 %.1f ms, p95 %.1f ms, max %.1f ms (goal p95 < 100 ms)%n",
                total,
                micros.get(micros.size() / 2) / 1000.0,
                micros.get(micros.size() * 95 / 100) / 1000.0,
                micros.getLast() / 1000.0);
        idx.close();
    }
}
