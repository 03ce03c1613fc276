package io.rustbucket.bench;

import io.rustbucket.bucketchat.client.BucketChatClient;
import io.rustbucket.bucketchat.client.RoomVerification;
import io.rustbucket.bucketchat.crypto.Ed25519;
import io.rustbucket.bucketchat.crypto.EventSigner;
import io.rustbucket.core.store.ObjectStore;
import io.rustbucket.core.store.folder.FolderObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * Bucket Chat throughput and latency on the folder store:
 * (1) create + sign + buffer + flush on one thread, beside the bare Ed25519 signing rate measured in the same
 * run; (2) a fresh client reading, verifying and resolving the room (sync + verify + timeline + state);
 * (3) how long after a flush a polling client sees a message.
 */
public final class BucketChatBench {
    public static void main(String[] args) throws Exception {
        int events = args.length > 0 ? Integer.parseInt(args[0]) : 200_000;
        Path dir = Files.createTempDirectory("bucketchat-bench");
        ObjectStore store = new FolderObjectStore(dir.resolve("bucket"));
        EventSigner alice = new EventSigner("user:alice", Ed25519.generate());
        BucketChatClient.Options opts = new BucketChatClient.Options(Duration.ofHours(1), 100, 60);
        System.out.printf(
                "machine: %d cores, %s%n",
                Runtime.getRuntime().availableProcessors(), System.getProperty("java.version"));

        // Warm-up: JIT the whole path once, in another room.
        write(store, "warmup", alice, opts, 20_000);

        for (int round = 1; round <= 3; round++) {
            String room = "bench-" + round;
            double baseline = signOnly(alice, events);
            long t0 = System.nanoTime();
            write(store, room, alice, opts, events);
            double writeRate = events / ((System.nanoTime() - t0) / 1e9);

            long t1 = System.nanoTime();
            RoomVerification v;
            try (BucketChatClient reader = BucketChatClient.open(
                    store, room, new EventSigner("reader", Ed25519.generate()), Clock.systemUTC(), opts)) {
                v = reader.verify(Map.of());
            }
            double verifyRate = v.timeline().size() / ((System.nanoTime() - t1) / 1e9);
            if (!v.clean()
                    || v.timeline().size() != events
                    || v.state().messages().size() != events - 1) {
                throw new IllegalStateException("room did not verify clean: " + v.chains() + ", "
                        + v.timeline().size() + " events");
            }
            System.out.printf(
                    "round %d: write (create+sign+buffer+flush, 1 thread) %,.0f events/s; bare Ed25519 sign %,.0f/s; ratio %.2f | read+verify+timeline+state (all cores) %,.0f events/s%n",
                    round, writeRate, baseline, writeRate / baseline, verifyRate);
        }
        visibility(store, alice, opts);
    }

    private static void write(ObjectStore store, String room, EventSigner who, BucketChatClient.Options opts, int n) {
        try (BucketChatClient c = BucketChatClient.create(store, room, "", "", who, Clock.systemUTC(), opts)) {
            for (int i = 1; i < n; i++) {
                c.message("benchmark message number " + i + " with some ordinary text in it", null);
            }
        }
    }

    /** The floor under the write path: signing a typical event's canonical bytes, nothing else. */
    private static double signOnly(EventSigner who, int n) {
        byte[] msg = new byte[330];
        java.util.Arrays.fill(msg, (byte) 'x');
        Ed25519.SigningKey key = new Ed25519.SigningKey(who.keys().seed());
        long t = System.nanoTime();
        for (int i = 0; i < n; i++) {
            msg[i % msg.length] ^= 1;
            key.sign(msg);
        }
        return n / ((System.nanoTime() - t) / 1e9);
    }

    /** Flush-to-visible latency with a 100 ms poll interval: 50 messages, p50 and max. */
    private static void visibility(ObjectStore store, EventSigner alice, BucketChatClient.Options opts)
            throws Exception {
        long pollMs = 100;
        BucketChatClient writer = BucketChatClient.create(store, "latency", "", "", alice, Clock.systemUTC(), opts);
        writer.flush();
        BucketChatClient reader = BucketChatClient.open(
                store, "latency", new EventSigner("reader", Ed25519.generate()), Clock.systemUTC(), opts);
        List<Long> lags = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            String id = writer.message("ping " + i, null).eventId();
            writer.flush();
            long flushed = System.nanoTime();
            boolean seen = false;
            while (!seen) {
                seen = reader.poll().stream().anyMatch(l -> l.event().eventId().equals(id));
                if (!seen) {
                    Thread.sleep(pollMs);
                }
            }
            lags.add((System.nanoTime() - flushed) / 1_000_000);
        }
        Collections.sort(lags);
        System.out.printf(
                "visibility after flush, poll interval %d ms: p50 %d ms, max %d ms (goal: within 1000 ms + poll interval)%n",
                pollMs, lags.get(lags.size() / 2), lags.getLast());
        writer.close();
        reader.close();
    }
}
