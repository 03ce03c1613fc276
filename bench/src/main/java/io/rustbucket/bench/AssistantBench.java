package io.rustbucket.bench;

import io.rustbucket.assistant.Assistant;
import io.rustbucket.assistant.Message;
import io.rustbucket.core.auth.AuthConfig;
import io.rustbucket.core.auth.PasswordHasher;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.http.ApiServer;
import io.rustbucket.core.http.HttpLimits;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.llm.LlmConfig;
import io.rustbucket.core.llm.ModelConfig;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.core.sql.DatabaseConfig;
import io.rustbucket.core.store.StoreConfig;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The assistant under load, on the embedded defaults (H2): (1) fan-out — N SSE subscribers (default 500, real
 * HTTP connections) on one conversation while a reply of 200 tokens streams from a fake OpenAI server; latency
 * from the token's publication (an in-process subscriber of the same hub, the baseline) to each HTTP subscriber
 * reading it; (2) a thread of 10,000 messages opened page by page over HTTP, then searched. Usage: AssistantBench [subscribers] [ms between tokens] [child | c]
 * (child: the subscribers in another JVM; c: in bench/target/sseclients, one epoll thread). With c, the server first
 * streams {@code -Dwarmups} replies (default 2) of {@code -Dwarmup} tokens (default 2,000) to other conversations, and
 * afterwards measures the machine's floor with a bare NIO fan-out to the same clients ({@code -Dbaseline=false} skips it).
 */
public final class AssistantBench {
    /**
     * An OpenAI-compatible upstream that writes each token as {@code <nanoTime> } at the moment it is written, so
     * a subscriber in the same JVM can tell how long the token took from the model's socket to its screen.
     */
    static final class TimestampingModel implements AutoCloseable {
        final com.sun.net.httpserver.HttpServer server;
        volatile int tokens = 200;
        volatile int pauseMs = 20;

        TimestampingModel() throws java.io.IOException {
            server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
            server.setExecutor(Executors.newVirtualThreadPerTaskExecutor());
            server.createContext("/chat/completions", ex -> {
                ex.getRequestBody().readAllBytes();
                ex.getResponseHeaders().set("Content-Type", "text/event-stream");
                ex.sendResponseHeaders(200, 0);
                try (var out = ex.getResponseBody()) {
                    for (int i = 0; i < tokens; i++) {
                        String chunk =
                                "data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                                        + "\"delta\":{\"content\":\"" + System.nanoTime()
                                        + " \"},\"finish_reason\":null}]}\n\n";
                        out.write(chunk.getBytes(StandardCharsets.UTF_8));
                        out.flush();
                        Thread.sleep(pauseMs);
                    }
                    out.write(("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,"
                                    + "\"delta\":{},\"finish_reason\":\"stop\"}]}\n\ndata: [DONE]\n\n")
                            .getBytes(StandardCharsets.UTF_8));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            server.start();
        }

        String url() {
            return "http://127.0.0.1:" + server.getAddress().getPort();
        }

        @Override
        public void close() {
            server.stop(0);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("clients")) {
            clients(args[1], args[2], args[3], Integer.parseInt(args[4]));
            return;
        }
        int subscribers = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        boolean inChild = args.length > 2 && args[2].equals("child");
        // "c": the subscribers are bench/target/sseclients, one epoll thread in C (as the sensor's load generator)
        boolean inC = args.length > 2 && args[2].equals("c");
        // 20 ms between tokens is 50 tokens/s, a fast hosted model; 2 ms is a stress test.
        int pauseMs = args.length > 1 ? Integer.parseInt(args[1]) : 20;
        try (TimestampingModel model = new TimestampingModel()) {
            ModelConfig fake =
                    new ModelConfig(ModelConfig.Provider.OPENAI, "gpt-bench", model.url(), "sk", 60, 4096, 0.0, 8);
            CoreServices core = CoreServices.open(
                    Files.createTempDirectory("rb-assistant-bench"),
                    DatabaseConfig.defaults(),
                    StoreConfig.defaults(),
                    AuthConfig.defaults(),
                    new LlmConfig("fake", 64, Map.of("fake", fake)),
                    Map.of(),
                    new PasswordHasher(1024, 1),
                    Clock.systemUTC());
            Assistant assistant = Assistant.start(core);
            ApiServer http = ApiServer.start(
                    "127.0.0.1",
                    0,
                    new HttpLimits(1024L * 1024, 16 * 1024, 300, false),
                    core.readiness(),
                    core.metrics(),
                    List.of(core.authRoutes(), assistant.routes()));
            String base = "http://127.0.0.1:" + http.port();
            var user = core.accounts()
                    .create("bench", "bench@example.test", null, "bench-pass-123", Set.of(Role.VIEWER), false);
            String cookie = signIn(base);
            String cid = assistant
                    .conversations()
                    .create(user.id(), "bench", false, null)
                    .id();

            // (1) Fan-out.
            Map<String, Long> published = new ConcurrentHashMap<>();
            java.util.concurrent.atomic.AtomicInteger deltaBytes = new java.util.concurrent.atomic.AtomicInteger();
            // The baseline subscriber is in-process: it notes the moment the hub hands it each token.
            assistant.hub().subscribe(cid, e -> {
                if (e.name().equals("message.delta")) {
                    long now = System.nanoTime();
                    // keyed by the token, the upstream's timestamp, which every subscriber reads too
                    published.put(token(new String(e.frame(), StandardCharsets.UTF_8)), now);
                    deltaBytes.set(e.frame().length);
                }
            });
            List<Double> latencies = Collections.synchronizedList(new ArrayList<>());
            List<Double> added = Collections.synchronizedList(new ArrayList<>());
            AtomicInteger connected = new AtomicInteger();
            int tokens = 200;
            CountDownLatch done = new CountDownLatch(subscribers);
            HttpClient client =
                    HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            var pool = Executors.newVirtualThreadPerTaskExecutor();
            Process child = null;
            java.nio.file.Path deliveries = Files.createTempFile("rb-sse", ".txt");
            deliveries.toFile().deleteOnExit(); // a few MB per run
            if (inC) {
                // A server runs warm: -Dwarmups replies (default 2) of -Dwarmup tokens each to as many C subscribers
                // of other conversations first, so that the measured reply does not share the cores with the JIT
                // compilers. One is not enough: the end of its streams (the clients close) deoptimises the write
                // path, which the next streams would otherwise run in profiling code while C2 compiles it again.
                int warmTokens = Integer.getInteger("warmup", 2000);
                int warmups = warmTokens > 0 ? Integer.getInteger("warmups", 2) : 0;
                for (int round = 0; round < warmups; round++) {
                    String warmCid = assistant
                            .conversations()
                            .create(user.id(), "warm-up " + round, false, null)
                            .id();
                    // with an in-process subscriber too, as the measured reply has: the same types at every call
                    assistant.hub().subscribe(warmCid, e -> {});
                    Process warm = cClients(http.port(), warmCid, cookie, subscribers, deliveries);
                    while (assistant.hub().subscribers(warmCid) < subscribers + 1) {
                        Thread.sleep(20);
                    }
                    model.tokens = warmTokens;
                    model.pauseMs = 2;
                    assistant.post(user.id(), warmCid, null, "warm up", null);
                    warm.getInputStream().readAllBytes();
                    warm.waitFor();
                }
                if (warmups > 0) {
                    System.out.println("warm-up: " + warmups + " replies of " + warmTokens + " tokens, each to "
                            + subscribers + " subscribers of another conversation");
                    published.clear();
                }
                child = cClients(http.port(), cid, cookie, subscribers, deliveries);
            } else if (inChild) { // the clients in another JVM: they share the cores, not the heap, JIT or GC
                child = new ProcessBuilder(
                                ProcessHandle.current().info().command().orElse("java"),
                                "-Xmx1g",
                                "-cp",
                                System.getProperty("java.class.path"),
                                AssistantBench.class.getName(),
                                "clients",
                                base,
                                cookie,
                                cid,
                                Integer.toString(subscribers))
                        .redirectErrorStream(true)
                        .start();
            } else {
                for (int i = 0; i < subscribers; i++) {
                    pool.submit(() -> {
                        try {
                            subscribe(client, base, cookie, cid, published, latencies, added);
                            connected.incrementAndGet();
                        } catch (Exception e) {
                            System.err.println("subscriber failed: " + e);
                        } finally {
                            done.countDown();
                        }
                        return null;
                    });
                }
            }
            while (assistant.hub().subscribers(cid) < subscribers + 1) {
                Thread.sleep(20);
            }
            model.tokens = tokens;
            model.pauseMs = pauseMs;
            long[] gcBefore = collections();
            long t0 = System.nanoTime();
            assistant.post(user.id(), cid, null, "stream please", null);
            if (child != null) {
                String out = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                child.waitFor();
                System.out.print((inC ? "clients in C: " : "clients in a separate JVM: ") + out);
                connected.set(subscribers);
                if (inC) { // fan-out from the C clients' read times (the same clock)
                    Map<String, Long> lastRead = new java.util.HashMap<>();
                    for (String line : Files.readAllLines(deliveries)) {
                        String[] f = line.split(" ");
                        long read = Long.parseLong(f[1]);
                        Long t = published.get(f[0]);
                        if (t != null) {
                            latencies.add((read - t) / 1e6);
                        }
                        added.add((read - Long.parseLong(f[0])) / 1e6);
                        lastRead.merge(f[0], read, Math::max);
                    }
                    // The tail is a few tokens: where did the slowest ones lose their time?
                    System.out.println("slowest tokens (upstream -> hub + hub -> last subscriber): "
                            + lastRead.entrySet().stream()
                                    .filter(e -> published.containsKey(e.getKey()))
                                    .sorted((a, b) -> Long.compare(
                                            b.getValue() - Long.parseLong(b.getKey()),
                                            a.getValue() - Long.parseLong(a.getKey())))
                                    .limit(5)
                                    .map(e -> String.format(
                                            "%.1f + %.1f ms",
                                            (published.get(e.getKey()) - Long.parseLong(e.getKey())) / 1e6,
                                            (e.getValue() - published.get(e.getKey())) / 1e6))
                                    .collect(java.util.stream.Collectors.joining(", ")));
                }
            } else {
                done.await();
            }
            double seconds = (System.nanoTime() - t0) / 1e9;
            long[] gcAfter = collections();
            // A collection's pause lands on whichever token is in flight: with 200 tokens, two of them are the p99.
            System.out.printf(
                    "collections during the reply: %d, %d ms in all%n",
                    gcAfter[0] - gcBefore[0], gcAfter[1] - gcBefore[1]);
            List<Double> sorted = new ArrayList<>(latencies);
            sorted.sort(Double::compare);
            if (!sorted.isEmpty())
                System.out.printf(
                        "fan-out: %d SSE subscribers, %d tokens, a write every %d ms (%,d deliveries in %.1f s): publication"
                                + " -> subscriber p50 %.1f ms, p99 %.1f ms, max %.1f ms (goal p99 < 50 ms)%n",
                        connected.get(),
                        tokens,
                        pauseMs,
                        sorted.size(),
                        seconds,
                        pct(sorted, 0.5),
                        pct(sorted, 0.99),
                        sorted.getLast());
            List<Double> addedSorted = new ArrayList<>(added);
            addedSorted.sort(Double::compare);
            if (!addedSorted.isEmpty())
                System.out.printf(
                        "added latency, upstream model's token written -> subscriber read it: p50 %.1f ms, p99 %.1f ms "
                                + "(goal p99 < 10 ms)%n",
                        pct(addedSorted, 0.5), pct(addedSorted, 0.99));

            // Where the added latency goes: upstream write -> the hub's publication (gateway parse, chunk insert).
            List<Double> toHub = new ArrayList<>();
            published.forEach((tok, at) -> toHub.add((at - Long.parseLong(tok)) / 1e6));
            toHub.sort(Double::compare);
            if (!toHub.isEmpty())
                System.out.printf(
                        "upstream model's token written -> published in the hub: p50 %.1f ms, p99 %.1f ms, max %.1f ms%n",
                        pct(toHub, 0.5), pct(toHub, 0.99), toHub.getLast());

            if (inC && Boolean.parseBoolean(System.getProperty("baseline", "true"))) {
                System.out.println("the machine's floor, same clients and frames: "
                        + bareFanOut(subscribers, tokens, pauseMs, deltaBytes.get(), deliveries));
            }

            // (2) A thread of 10,000 messages, read in pages of 500.
            Message root = assistant.messages().root(user.id(), cid, "a long thread", "system");
            core.database().useHandle(h -> {
                var batch = h.prepareBatch("INSERT INTO asst_messages (id, conversation_id, root_id, parent_id, "
                        + "author_user_id, role, content, path, depth, status, created_at, updated_at) VALUES (:id, "
                        + ":c, :r, :p, :u, 'user', :content, :path, 1, 'complete', :now, :now)");
                java.time.Instant now = java.time.Instant.now();
                for (int i = 1; i < 10_000; i++) {
                    batch.bind("id", java.util.UUID.randomUUID().toString())
                            .bind("c", cid)
                            .bind("r", root.id())
                            .bind("p", root.id())
                            .bind("u", user.id())
                            .bind("content", "message " + i + " " + "x".repeat(120))
                            .bind("path", root.path() + "/" + String.format("%06d", i))
                            .bind("now", now)
                            .add();
                }
                batch.execute();
            });
            for (int warm = 0; warm < 5; warm++) {
                readThread(client, base, cookie, root.id());
            }
            List<Double> first = new ArrayList<>();
            List<Double> whole = new ArrayList<>();
            for (int i = 0; i < 20; i++) {
                double[] r = readThread(client, base, cookie, root.id());
                first.add(r[0]);
                whole.add(r[1]);
            }
            first.sort(Double::compare);
            whole.sort(Double::compare);
            System.out.printf(
                    "thread of 10,000 messages over HTTP: first page (500) p50 %.1f ms p95 %.1f ms; all 20 pages "
                            + "p50 %.1f ms p95 %.1f ms (goal: opening < 200 ms)%n",
                    pct(first, 0.5), pct(first, 0.95), pct(whole, 0.5), pct(whole, 0.95));
            // (3) Search in the same conversation (10,000 messages): one match, and a word in every message.
            for (String q : List.of("message 9876 ", "xxxxx")) {
                List<Double> took = new ArrayList<>();
                int hits = 0;
                for (int i = 0; i < 25; i++) {
                    long asked = System.nanoTime();
                    var r = client.send(
                            HttpRequest.newBuilder(URI.create(base + "/api/conversations/" + cid + "/search?limit=50&q="
                                            + java.net.URLEncoder.encode(q, java.nio.charset.StandardCharsets.UTF_8)))
                                    .header("Cookie", cookie)
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
                    took.add((System.nanoTime() - asked) / 1e6);
                    hits = Json.mapper().readTree(r.body()).path("messages").size();
                }
                took = took.subList(5, took.size()); // the first five warm up
                took.sort(Double::compare);
                System.out.printf(
                        "search \"%s\" in 10,000 messages over HTTP: %d hits, p50 %.1f ms p95 %.1f ms%n",
                        q.strip(), hits, pct(took, 0.5), pct(took, 0.95));
            }
            pool.shutdownNow();
            assistant.close();
            http.close();
            core.close();
        }
        System.exit(0);
    }

    /** N subscribers in C (bench/target/sseclients) on a conversation; each read goes to {@code deliveries}. */
    static Process cClients(int port, String cid, String cookie, int n, java.nio.file.Path deliveries)
            throws java.io.IOException {
        return new ProcessBuilder(
                        "bench/target/sseclients",
                        "127.0.0.1",
                        Integer.toString(port),
                        "/api/stream/conversations/" + cid,
                        cookie,
                        Integer.toString(n),
                        deliveries.toString())
                .redirectErrorStream(true)
                .start();
    }

    /**
     * The baseline for the fan-out: the same C subscribers, frames of the same size and pace, written by a bare NIO
     * server with no HTTP stack, database or model in the way, from two threads as the hub's two slices on this
     * machine. Its added latency is what the machine itself costs (loopback writes, the clients' reads, scheduling);
     * the assistant's figure less this one is ours. Returns the C clients' summary line.
     */
    static String bareFanOut(int n, int tokens, int pauseMs, int frameBytes, java.nio.file.Path deliveries)
            throws Exception {
        try (var server = java.nio.channels.ServerSocketChannel.open();
                var helper = Executors.newSingleThreadExecutor()) {
            server.bind(new java.net.InetSocketAddress("127.0.0.1", 0), n);
            int port = ((java.net.InetSocketAddress) server.getLocalAddress()).getPort();
            Process clients = cClients(port, "bare", "-", n, deliveries);
            java.nio.channels.SocketChannel[] all = new java.nio.channels.SocketChannel[n];
            java.nio.ByteBuffer request = java.nio.ByteBuffer.allocate(8192);
            for (int i = 0; i < n; i++) {
                all[i] = server.accept();
                all[i].setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                request.clear();
                while (!new String(request.array(), 0, request.position(), StandardCharsets.ISO_8859_1)
                        .contains("\r\n\r\n")) {
                    if (all[i].read(request) < 0 || !request.hasRemaining()) {
                        throw new java.io.IOException("bad request from a bench client");
                    }
                }
                all[i].write(java.nio.ByteBuffer.wrap(("HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\n"
                                + "Transfer-Encoding: chunked\r\n\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1)));
            }
            // warm: 2,000 frames at 1 ms (token 0, which the clients do not count), then the measured ones
            for (int t = -2000; t <= tokens; t++) {
                long token = t < 0 ? 0 : System.nanoTime();
                String head = t < tokens
                        ? "event: message.delta\nid: r:m:" + t + ":0\ndata: {\"content\":\"" + token + " \""
                        : "event: message.done\ndata: {\"done\":true";
                String event =
                        head + ",\"pad\":\"" + "x".repeat(Math.max(0, frameBytes - head.length() - 14)) + "\"}\n\n";
                byte[] chunk = (Integer.toHexString(event.length()) + "\r\n" + event + "\r\n")
                        .getBytes(StandardCharsets.ISO_8859_1);
                int half = n / 2;
                var other = helper.submit(() -> write(all, half, n, chunk));
                write(all, 0, half, chunk);
                other.get();
                Thread.sleep(t < 0 ? 1 : pauseMs);
            }
            String out = new String(clients.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            clients.waitFor();
            for (var c : all) {
                c.close();
            }
            return out.lines()
                    .filter(l -> l.startsWith("subscribers="))
                    .findFirst()
                    .orElse(out);
        }
    }

    private static Void write(java.nio.channels.SocketChannel[] all, int from, int to, byte[] chunk)
            throws java.io.IOException {
        for (int i = from; i < to; i++) {
            java.nio.ByteBuffer b = java.nio.ByteBuffer.wrap(chunk);
            while (b.hasRemaining()) {
                all[i].write(b);
            }
        }
        return null;
    }

    /** One SSE subscriber until the reply is done: fan-out (against {@code published}) and added latency. */
    static void subscribe(
            HttpClient client,
            String base,
            String cookie,
            String cid,
            Map<String, Long> published,
            List<Double> latencies,
            List<Double> added)
            throws Exception {
        HttpResponse<java.io.InputStream> r = client.send(
                HttpRequest.newBuilder(URI.create(base + "/api/stream/conversations/" + cid))
                        .header("Cookie", cookie)
                        .header("Accept", "text/event-stream")
                        .build(),
                HttpResponse.BodyHandlers.ofInputStream());
        try (var in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String event = null;
            String data = null;
            for (String line; (line = in.readLine()) != null; ) {
                if (line.startsWith("event:")) {
                    event = line.substring(6).strip();
                } else if (line.startsWith("data:")) {
                    data = line.substring(5).strip();
                } else if (line.isEmpty() && event != null) {
                    long now = System.nanoTime();
                    if (event.equals("message.delta")) {
                        String content = token(data);
                        Long t = published.get(content);
                        if (t != null) {
                            latencies.add((now - t) / 1e6);
                        }
                        if (!content.isEmpty()) {
                            added.add((now - Long.parseLong(content)) / 1e6);
                        }
                    } else if (event.equals("message.done")) {
                        break;
                    }
                    event = null;
                }
            }
        }
    }

    /** The upstream's timestamp in a delta: a cheap look, as a JSON parser would load the same two cores. */
    static String token(String data) {
        int at = data.indexOf("\"content\":\"");
        return at < 0 ? "" : data.substring(at + 11, data.indexOf('"', at + 11)).strip();
    }

    /** The child JVM: N subscribers; prints the added latency they saw (nanoTime is system-wide on Linux). */
    static void clients(String base, String cookie, String cid, int n) throws Exception {
        HttpClient client =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        List<Double> added = Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(n);
        try (var pool = Executors.newVirtualThreadPerTaskExecutor()) {
            for (int i = 0; i < n; i++) {
                pool.submit(() -> {
                    try {
                        subscribe(client, base, cookie, cid, Map.of(), new ArrayList<>(), added);
                    } finally {
                        done.countDown();
                    }
                    return null;
                });
            }
            done.await();
        }
        List<Double> sorted = new ArrayList<>(added);
        sorted.sort(Double::compare);
        System.out.printf(
                "%d subscribers, %,d deliveries: added latency (upstream write -> read) p50 %.1f ms, p99 %.1f ms, "
                        + "max %.1f ms%n",
                n, sorted.size(), pct(sorted, 0.5), pct(sorted, 0.99), sorted.getLast());
    }

    static double[] readThread(HttpClient client, String base, String cookie, String root) throws Exception {
        long t0 = System.nanoTime();
        double firstMs = 0;
        String cursor = null;
        int pages = 0;
        do {
            String url = base + "/api/threads/" + root + "/tree?limit=500"
                    + (cursor == null ? "" : "&cursor_path=" + cursor);
            var r = client.send(
                    HttpRequest.newBuilder(URI.create(url))
                            .header("Cookie", cookie)
                            .build(),
                    HttpResponse.BodyHandlers.ofString());
            var page = Json.mapper().readTree(r.body());
            cursor = page.path("next_cursor").isNull()
                    ? null
                    : page.path("next_cursor").asText(null);
            if (pages++ == 0) {
                firstMs = (System.nanoTime() - t0) / 1e6;
            }
        } while (cursor != null);
        return new double[] {firstMs, (System.nanoTime() - t0) / 1e6};
    }

    /** Garbage collections so far and their total time in ms, over every collector. */
    static long[] collections() {
        long count = 0;
        long ms = 0;
        for (var gc : java.lang.management.ManagementFactory.getGarbageCollectorMXBeans()) {
            count += Math.max(0, gc.getCollectionCount());
            ms += Math.max(0, gc.getCollectionTime());
        }
        return new long[] {count, ms};
    }

    static double pct(List<Double> sorted, double p) {
        return sorted.get(Math.max(0, (int) Math.ceil(sorted.size() * p) - 1));
    }

    static String signIn(String base) throws Exception {
        HttpResponse<String> r = HttpClient.newHttpClient()
                .send(
                        HttpRequest.newBuilder(URI.create(base + "/api/auth/login"))
                                .header("Content-Type", "application/json")
                                .POST(HttpRequest.BodyPublishers.ofString(
                                        "{\"username\":\"bench\",\"password\":\"bench-pass-123\"}"))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
        StringBuilder c = new StringBuilder();
        for (String h : r.headers().allValues("Set-Cookie")) {
            c.append(c.isEmpty() ? "" : "; ").append(h.split(";", 2)[0]);
        }
        return c.toString();
    }
}
