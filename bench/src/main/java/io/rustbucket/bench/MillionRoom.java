package io.rustbucket.bench;

import io.rustbucket.bucketchat.client.BucketChatClient;
import io.rustbucket.bucketchat.client.RoomVerification;
import io.rustbucket.bucketchat.crypto.Ed25519;
import io.rustbucket.bucketchat.crypto.EventSigner;
import io.rustbucket.core.store.ObjectStore;
import io.rustbucket.core.store.folder.FolderObjectStore;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A room of 1,000,000 events from 10 senders: {@code generate} writes it (in parallel, one thread per sender),
 * {@code verify} reads, verifies and resolves it in a JVM capped at 512 MB of heap, and prints time and peak heap.
 */
public final class MillionRoom {
    static final Path DIR = Path.of(System.getProperty("java.io.tmpdir"), "bucketchat-million");
    static final String ROOM = "million";

    public static void main(String[] args) throws Exception {
        int total = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        if (args[0].equals("generate")) {
            generate(total);
        } else {
            verify(total);
        }
    }

    static void generate(int total) throws Exception {
        if (DIR.toFile().exists()) {
            try (var walk = java.nio.file.Files.walk(DIR)) {
                walk.sorted(java.util.Comparator.reverseOrder())
                        .forEach(p -> p.toFile().delete());
            }
        }
        ObjectStore store = new FolderObjectStore(DIR);
        BucketChatClient.Options opts = new BucketChatClient.Options(Duration.ofHours(1), 1000, 60);
        EventSigner admin = new EventSigner("user:admin", Ed25519.generate());
        BucketChatClient.create(store, ROOM, "Million", "", admin, Clock.systemUTC(), opts)
                .close();
        long t0 = System.nanoTime();
        List<Thread> threads = new ArrayList<>();
        int senders = 10;
        for (int s = 0; s < senders; s++) {
            EventSigner who = new EventSigner("user:s" + s, Ed25519.generate());
            int each = (total - 1) / senders + (s < (total - 1) % senders ? 1 : 0);
            threads.add(Thread.ofPlatform().start(() -> {
                try (BucketChatClient c = BucketChatClient.open(store, ROOM, who, Clock.systemUTC(), opts)) {
                    c.join();
                    for (int i = 1; i < each; i++) {
                        c.message("message " + i + " from " + who.senderId(), null);
                    }
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        System.out.printf("generated %,d events in %.1f s%n", total, (System.nanoTime() - t0) / 1e9);
    }

    static void verify(int total) {
        ObjectStore store = new FolderObjectStore(DIR);
        long t0 = System.nanoTime();
        RoomVerification v;
        try (BucketChatClient reader = BucketChatClient.open(
                store,
                ROOM,
                new EventSigner("reader", Ed25519.generate()),
                Clock.systemUTC(),
                BucketChatClient.Options.defaults())) {
            v = reader.verify(Map.of());
        }
        double s = (System.nanoTime() - t0) / 1e9;
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        System.out.printf(
                "verified %,d events (%d files) in %.1f s (goal < 60 s); clean=%s; members %d; visible messages %,d; peak heap %d MB (max %d MB)%n",
                v.timeline().size(),
                v.files(),
                s,
                v.clean(),
                v.state().members().size(),
                v.state().messages().size(),
                peak >> 20,
                Runtime.getRuntime().maxMemory() >> 20);
    }
}
