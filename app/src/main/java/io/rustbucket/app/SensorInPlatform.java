package io.rustbucket.app;

import io.rustbucket.core.json.Json;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.logs.LogPlatform;
import io.rustbucket.sensor.Sensor;
import io.rustbucket.sensor.SensorConfig;
import io.rustbucket.sensor.record.SensorEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sensor as {@code up} runs it: on the platform's model and object store, and with every event also sent to
 * the log platform's ingest API as it happens, over HTTP like any shipper, with an ingest token of its own
 * (service account {@code sensor-feed}, made at start), in NDJSON batches (service {@code sensor}), so attacks
 * are searchable within a second. Overflow policy of that feed: a bounded queue; while the platform is not
 * listening yet events wait in it; when it is full (the log platform falls behind), events are dropped from the
 * feed and counted (they stay in the sensor's own files and batches). A 429/503 is retried after its
 * {@code Retry-After}; a batch refused five times is dropped and counted.
 */
final class SensorInPlatform implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(SensorInPlatform.class);
    static final int FEED_CAPACITY = 20_000;
    static final int FEED_BATCH = 500;

    private final Sensor sensor;
    /** The address the listeners are bound to. */
    private final String host;

    private final BlockingQueue<SensorEvent> feed;
    private final Thread forwarder;

    static final int MAX_ATTEMPTS = 5;

    /** Where the feed goes: the platform's ingest URL and the token, once the platform listens. */
    private record Target(URI ingest, String token) {}

    private final java.util.concurrent.CompletableFuture<Target> target =
            new java.util.concurrent.CompletableFuture<>();
    private final HttpClient http = HttpClient.newBuilder()
            .connectTimeout(java.time.Duration.ofSeconds(5))
            .build();
    private final AtomicLong failed = new AtomicLong();

    private SensorInPlatform(Sensor sensor, String host, Optional<LogPlatform> logs, BlockingQueue<SensorEvent> feed) {
        this.sensor = sensor;
        this.host = host;
        this.feed = feed;
        this.forwarder = Thread.ofPlatform().daemon().name("sensor-to-logs").start(() -> {
            if (logs.isPresent()) {
                forward();
            }
        });
    }

    /** Starts the feed: the platform listens at {@code ingest} and {@code token} may post to it. */
    void shipTo(URI ingest, String token) {
        target.complete(new Target(ingest, token));
    }

    /** Events the feed gave up on (refused batches); drops of a full queue are counted at the sensor. */
    long failed() {
        return failed.get();
    }

    static SensorInPlatform start(
            RustbucketConfig config,
            Path data,
            CoreServices core,
            List<AutoCloseable> systems,
            Map<String, String> env,
            Clock clock) {
        Optional<LogPlatform> logs = systems.stream()
                .filter(LogPlatform.class::isInstance)
                .map(LogPlatform.class::cast)
                .findFirst();
        SensorConfig sc = config.sensor().inPlatform(data, config.platform().host());
        BlockingQueue<SensorEvent> feed = new ArrayBlockingQueue<>(FEED_CAPACITY);
        AtomicLong dropped = new AtomicLong();
        Sensor sensor;
        try {
            sensor = Sensor.start(
                    sc,
                    new Sensor.Shared(Optional.of(core.llm()), Optional.of(core.store()), e -> {
                        if (logs.isPresent() && !feed.offer(e) && Long.bitCount(dropped.incrementAndGet()) == 1) {
                            log.warn(
                                    "sensor feed to the log platform is full: {} events not indexed live",
                                    dropped.get());
                        }
                    }),
                    env,
                    clock);
        } catch (IOException e) {
            throw new StartupException("sensor: " + e.getMessage(), e);
        }
        return new SensorInPlatform(sensor, sc.general().bindAddress(), logs, feed);
    }

    private void forward() {
        Target to;
        try {
            to = target.get(); // events wait in the bounded queue until the platform listens
        } catch (InterruptedException e) {
            return;
        } catch (java.util.concurrent.ExecutionException e) {
            return;
        }
        List<SensorEvent> batch = new ArrayList<>(FEED_BATCH);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                SensorEvent first = feed.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                feed.drainTo(batch, FEED_BATCH - 1);
                post(to, ndjson(batch), batch.size());
            } catch (InterruptedException e) {
                return;
            } finally {
                batch.clear();
            }
        }
    }

    /** One batch to the ingest API, retried after 429/503 and connection failures; counted when given up. */
    private void post(Target to, byte[] body, int events) throws InterruptedException {
        String why = "";
        for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
            long waitMs = 200L << attempt;
            try {
                HttpResponse<String> r = http.send(
                        HttpRequest.newBuilder(to.ingest())
                                .timeout(java.time.Duration.ofSeconds(10))
                                .header("Authorization", "Bearer " + to.token())
                                .header("Content-Type", "application/x-ndjson")
                                .POST(HttpRequest.BodyPublishers.ofByteArray(body))
                                .build(),
                        HttpResponse.BodyHandlers.ofString());
                int status = r.statusCode();
                if (status == 200 || status == 207) {
                    if (status == 207) {
                        log.warn("log platform refused some of {} sensor events: {}", events, cut(r.body()));
                    }
                    return;
                }
                why = "HTTP " + status + " " + cut(r.body());
                if (status != 429 && status != 503) {
                    break; // refused for good: retrying sends the same refusal
                }
                waitMs = r.headers()
                        .firstValue("Retry-After")
                        .map(v -> Long.parseLong(v.strip()) * 1000)
                        .orElse(waitMs);
            } catch (java.io.IOException | NumberFormatException e) {
                why = e.getClass().getSimpleName() + " " + e.getMessage();
            }
            Thread.sleep(Math.min(waitMs, 5_000));
        }
        if (Long.bitCount(failed.addAndGet(events)) <= 2) {
            log.warn(
                    "sending {} sensor events to the log platform failed ({}); {} given up so far",
                    events,
                    why,
                    failed.get());
        }
    }

    private static String cut(String s) {
        return s.length() > 200 ? s.substring(0, 200) + "…" : s;
    }

    static byte[] ndjson(List<SensorEvent> events) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (SensorEvent e : events) {
            Map<String, Object> doc = new LinkedHashMap<>(e.fields());
            doc.put("service.name", "sensor");
            out.writeBytes(Json.write(doc).getBytes(StandardCharsets.UTF_8));
            out.write('\n');
        }
        return out.toByteArray();
    }

    Map<String, String> endpoints() {
        Map<String, String> m = new LinkedHashMap<>();
        String shown = Platform.reachable(host);
        // as URLs a user can paste into the matching client; the management port speaks HTTPS
        sensor.ports()
                .forEach((name, port) -> m.put(
                        "sensor " + name, (name.equals("management") ? "https" : name) + "://" + shown + ":" + port));
        return m;
    }

    Sensor sensor() {
        return sensor;
    }

    @Override
    public void close() {
        forwarder.interrupt();
        sensor.close();
    }
}
