package io.rustbucket.assistant;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Sends open streams their user's unread count of a thread after the thread changed. The counting runs off the
 * publisher's thread, one worker per thread at a time, and the streams waiting when it starts a round share one count
 * per user: 500 tabs of one account, or a burst of changes, cost one query, not one per stream and change. A stream
 * that asks while a round is counting is counted again in the next round, so no change goes uncounted.
 */
final class UnreadUpdates {
    private static final Logger log = LoggerFactory.getLogger(UnreadUpdates.class);

    /** A stream that wants the counts. */
    interface Reader {
        String userId();

        /** False once the stream has ended: nothing more is counted for it. */
        boolean open();

        void send(byte[] frame);
    }

    /** The unread count of a thread for a user. */
    @FunctionalInterface
    interface Counter {
        long unread(String userId, String rootId);
    }

    private final Counter counter;
    private final LongSupplier millis;
    /** Thread id -> the readers waiting for its next count; an entry exists while a worker owns the thread. */
    private final Map<String, Set<Reader>> due = new HashMap<>();

    UnreadUpdates(Counter counter, LongSupplier millis) {
        this.counter = counter;
        this.millis = millis;
    }

    /** The thread changed: the reader gets its user's count soon. Never blocks on the count. */
    void changed(String rootId, Reader reader) {
        boolean start;
        synchronized (due) {
            Set<Reader> waiting = due.get(rootId);
            start = waiting == null;
            if (start) {
                waiting = new LinkedHashSet<>();
                due.put(rootId, waiting);
            }
            waiting.add(reader);
        }
        if (start) {
            Thread.ofVirtual().name("assistant-unread").start(() -> count(rootId));
        }
    }

    private void count(String rootId) {
        while (true) {
            Map<String, List<Reader>> byUser = new LinkedHashMap<>();
            synchronized (due) {
                Set<Reader> waiting = due.get(rootId);
                if (waiting.isEmpty()) {
                    due.remove(rootId);
                    return;
                }
                for (Reader r : waiting) {
                    byUser.computeIfAbsent(r.userId(), u -> new ArrayList<>()).add(r);
                }
                waiting.clear();
            }
            byUser.forEach((userId, readers) -> {
                if (readers.stream().noneMatch(Reader::open)) {
                    return;
                }
                try {
                    long unread = counter.unread(userId, rootId);
                    byte[] frame = new StreamHub.Event(
                                    "unread.update",
                                    Map.of("root_id", rootId, "unread", unread),
                                    StreamHub.id(rootId, null, null, millis.getAsLong()))
                            .frame();
                    readers.forEach(r -> r.send(frame));
                } catch (RuntimeException failed) { // the count comes again with the thread's next change
                    log.warn("unread count of thread {} failed: {}", rootId, failed.toString());
                }
            });
        }
    }
}
