package io.rustbucket.app;

import io.rustbucket.core.json.Json;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.logs.LogPlatform;
import io.rustbucket.sensor.Sensor;
import io.rustbucket.sensor.SensorConfig;
import io.rustbucket.sensor.record.SensorEvent;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
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
 * the log platform's ingest path as it happens (in NDJSON batches, service {@code sensor}), so attacks are
 * searchable within a second. Overflow policy of that feed: a bounded queue; when the log platform falls behind
 * events are dropped from the feed and counted (they stay in the sensor's own files and batches).
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

    private SensorInPlatform(Sensor sensor, String host, Optional<LogPlatform> logs, BlockingQueue<SensorEvent> feed) {
        this.sensor = sensor;
        this.host = host;
        this.feed = feed;
        this.forwarder = Thread.ofPlatform().daemon().name("sensor-to-logs").start(() -> logs.ifPresent(this::forward));
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

    private void forward(LogPlatform logs) {
        List<SensorEvent> batch = new ArrayList<>(FEED_BATCH);
        while (!Thread.currentThread().isInterrupted()) {
            try {
                SensorEvent first = feed.poll(500, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                feed.drainTo(batch, FEED_BATCH - 1);
                logs.ingest(ndjson(batch), "application/x-ndjson");
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                log.warn("sending {} sensor events to the log platform failed: {}", batch.size(), e.getMessage());
            } finally {
                batch.clear();
            }
        }
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
