package io.rustbucket.bench;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.store.ObjectInfo;
import io.rustbucket.core.store.folder.FolderObjectStore;
import io.rustbucket.sensor.record.EventAction;
import io.rustbucket.sensor.record.LogCollector;
import io.rustbucket.sensor.record.SensorEvent;
import io.rustbucket.sensor.ship.LogBatcher;
import io.rustbucket.sensor.ship.LogUploader;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;

/**
 * Shipping under {@code kill -9} (issue #9, benchmark 5). {@code run DIR N} records events {@code ev-000000000}
 * to {@code ev-(N-1)} through the sensor's {@link LogCollector} while a {@link LogBatcher} ships every 300 ms
 * into a folder bucket; started again after a kill it resumes after the last event on disk. {@code verify DIR N}
 * counts the ids in the bucket: each must be there exactly once.
 */
public final class ShippingCrash {
    private ShippingCrash() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[1]);
        int n = Integer.parseInt(args[2]);
        if (args[0].equals("run")) {
            run(dir, n);
        } else {
            verify(dir, n);
        }
    }

    static String id(long i) {
        return String.format("ev-%09d", i);
    }

    static void run(Path dir, int n) throws Exception {
        Path logs = dir.resolve("logs");
        long start = lastOnDisk(logs) + 1;
        LogCollector collector = new LogCollector(logs, 65_536);
        LogBatcher batcher = new LogBatcher(
                logs,
                dir.resolve("shipping"),
                "bench",
                "",
                new LogUploader(new FolderObjectStore(dir.resolve("bucket"))),
                Clock.systemUTC(),
                Duration.ofDays(14),
                1L << 40);
        ScheduledExecutorService ship = Executors.newSingleThreadScheduledExecutor();
        ship.scheduleWithFixedDelay(
                () -> {
                    try {
                        batcher.runOnce();
                    } catch (IOException e) {
                        System.err.println("ship failed: " + e);
                    }
                },
                300,
                300,
                TimeUnit.MILLISECONDS);
        System.out.println("resuming at " + start);
        for (long i = start; i < n; i++) {
            SensorEvent e = SensorEvent.builder(EventAction.COMMAND, Instant.now(), id(i))
                    .sensor("bench")
                    .session("s-" + (i / 20), "ssh")
                    .source("198.51.100." + (i % 250), 40000 + (int) (i % 20000))
                    .input("uname -a")
                    .response("Linux ip-172-31-20-5 5.15.0-91-generic", "emulator", 0)
                    .build();
            while (!collector.record(e)) {
                Thread.sleep(1); // the queue is full: this producer waits (a listener would drop and count)
            }
        }
        while (collector.written() < n - start) {
            Thread.sleep(50);
        }
        collector.close();
        ship.shutdown();
        ship.awaitTermination(1, TimeUnit.MINUTES);
        batcher.runOnce(); // the rest
        System.out.println("done: " + (n - start) + " events recorded in this process, " + batcher.shippedBatches()
                + " batches shipped");
    }

    /** The highest event number in the log files (complete lines), or -1. */
    static long lastOnDisk(Path logs) throws IOException {
        if (!Files.isDirectory(logs)) {
            return -1;
        }
        long max = -1;
        try (var files = Files.list(logs)) {
            for (Path f : files.sorted().toList()) {
                try (BufferedReader r = Files.newBufferedReader(f, StandardCharsets.UTF_8)) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        int at = line.indexOf("\"event.id\":\"ev-");
                        if (at >= 0 && line.endsWith("}")) {
                            max = Math.max(max, Long.parseLong(line.substring(at + 15, at + 24)));
                        }
                    }
                }
            }
        }
        return max;
    }

    static void verify(Path dir, int n) throws IOException {
        FolderObjectStore bucket = new FolderObjectStore(dir.resolve("bucket"));
        BitSet seen = new BitSet(n);
        long total = 0;
        long duplicates = 0;
        List<ObjectInfo> objects = bucket.listAll("sensors/bench/logs/").toList();
        for (ObjectInfo o : objects) {
            try (BufferedReader r = new BufferedReader(
                    new InputStreamReader(new GZIPInputStream(bucket.get(o.key())), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    JsonNode j = Json.mapper().readTree(line);
                    int i = Integer.parseInt(j.path("event.id").asText().substring(3));
                    total++;
                    if (seen.get(i)) {
                        duplicates++;
                    }
                    seen.set(i);
                }
            }
        }
        int distinct = seen.cardinality();
        System.out.printf(
                "bucket: %d objects, %d lines, %d distinct ids, %d duplicated, %d missing of %d%n",
                objects.size(), total, distinct, duplicates, n - distinct, n);
        if (duplicates > 0 || distinct != n) {
            System.exit(1);
        }
    }
}
