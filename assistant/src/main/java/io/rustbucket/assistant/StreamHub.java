package io.rustbucket.assistant;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Fans a conversation's events out to its open streams. Publishing never blocks and wakes no thread: the publisher
 * hands each event to every subscriber in turn, and a stream writes it to its socket at once when the socket can
 * take it ({@link io.rustbucket.core.http.SseStream}), or keeps it, within a bound, for when it can. A subscriber
 * too far behind is told to reconnect and resume from the persisted chunks with {@code Last-Event-ID}. A slow
 * reader therefore never slows the generation or the other readers.
 */
public final class StreamHub implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(StreamHub.class);

    /**
     * One SSE frame: {@code event: name}, {@code id} (none when null), data {@code {"type": name, "payload": ...}}. The frame's
     * bytes are made once, when the event is created, not once per subscriber.
     */
    public record Event(String name, Map<String, Object> payload, String id, byte[] frame) {
        public Event(String name, Map<String, Object> payload, String id) {
            this(name, payload, id, render(name, payload, id));
        }

        private static byte[] render(String name, Map<String, Object> payload, String id) {
            Map<String, Object> data = new java.util.LinkedHashMap<>();
            data.put("type", name);
            data.put("payload", payload);
            // No id line for a frame that is not a resume point (a state snapshot): the client keeps its last id.
            return ("event: " + name + (id == null ? "" : "\nid: " + id) + "\ndata: "
                            + io.rustbucket.core.json.Json.write(data) + "\n\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    /**
     * Something the hub delivers a conversation's events to: an open SSE stream, or an in-process listener.
     * {@link #deliver} runs on the publisher's thread, once per subscriber in turn, so it must not block.
     */
    public interface Subscriber {
        void deliver(Event e);

        /** Called every {@link #TICK}: a stream that has been quiet sends a keep-alive. */
        default void tick() {}

        /** The platform is stopping: the stream ends (its client reconnects and resumes). */
        default void end() {}
    }

    /** How often subscribers are ticked (keep-alives). */
    static final Duration TICK = Duration.ofSeconds(2);

    /** Fewest subscribers worth a slice of their own: below it, handing a slice over costs more than it saves. */
    static final int MIN_SLICE = 64;

    private final Map<String, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();
    private final int helpers = Math.max(0, Runtime.getRuntime().availableProcessors() - 1);
    /**
     * The fan-out helpers. Their queue needs no bound of its own: every publisher waits for its slices, so it holds
     * at most {@code helpers} tasks per publishing thread.
     */
    private final ExecutorService fanOut = Executors.newFixedThreadPool(
            Math.max(1, helpers),
            Thread.ofPlatform().name("assistant-fanout-", 0).daemon().factory());

    private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("assistant-stream-ticker").daemon().factory());

    public StreamHub() {
        ticker.scheduleWithFixedDelay(this::tick, TICK.toMillis(), TICK.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A subscriber's place in a conversation; closing it removes the subscriber. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    /** Adds a subscriber to a conversation; closing the result removes it. */
    public Subscription subscribe(String conversationId, Subscriber s) {
        subscribers
                .computeIfAbsent(conversationId, c -> new CopyOnWriteArraySet<>())
                .add(s);
        return () -> {
            Set<Subscriber> set = subscribers.get(conversationId);
            if (set != null) {
                set.remove(s);
            }
        };
    }

    /**
     * Hands the event to every subscriber of the conversation and returns when each has it (written, or queued by
     * its stream); no subscriber can block it. A large audience is split into slices delivered at once by this
     * thread and the fan-out helpers (one per further core): a socket write costs a few microseconds, and 500 of
     * them in a row would put the last reader milliseconds behind the first. Waiting for the slices keeps each
     * subscriber's events in publication order.
     */
    public void publish(String conversationId, Event e) {
        Set<Subscriber> set = subscribers.get(conversationId);
        if (set == null) {
            return;
        }
        Subscriber[] all = set.toArray(new Subscriber[0]);
        int slices = Math.min(1 + helpers, all.length / MIN_SLICE);
        if (slices <= 1) {
            deliver(all, 0, all.length, e);
            return;
        }
        int per = (all.length + slices - 1) / slices;
        List<Future<?>> others = new ArrayList<>(slices - 1);
        for (int from = per; from < all.length; from += per) {
            int start = from;
            int end = Math.min(all.length, from + per);
            try {
                others.add(fanOut.submit(() -> deliver(all, start, end, e)));
            } catch (RejectedExecutionException closing) {
                deliver(all, start, end, e);
            }
        }
        deliver(all, 0, per, e);
        for (Future<?> f : others) {
            try {
                f.get();
            } catch (ExecutionException failed) { // deliver catches per subscriber; this would be a bug
                log.warn("stream fan-out failed: {}", failed.getCause().toString());
            } catch (InterruptedException interrupted) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private static void deliver(Subscriber[] all, int from, int to, Event e) {
        for (int i = from; i < to; i++) {
            try {
                all[i].deliver(e);
            } catch (RuntimeException failed) { // one broken subscriber must not cost the others their event
                log.warn("stream subscriber failed on {}: {}", e.name(), failed.toString());
            }
        }
    }

    public int subscribers(String conversationId) {
        Set<Subscriber> set = subscribers.get(conversationId);
        return set == null ? 0 : set.size();
    }

    /** Ends every subscriber's stream (the platform is stopping). */
    public void endAll() {
        subscribers.values().forEach(set -> set.forEach(Subscriber::end));
    }

    @Override
    public void close() {
        ticker.shutdownNow();
        fanOut.shutdown();
        endAll();
    }

    private void tick() {
        subscribers
                .values()
                .forEach(set -> set.forEach(s -> {
                    try {
                        s.tick();
                    } catch (RuntimeException failed) {
                        log.warn("stream subscriber tick failed: {}", failed.toString());
                    }
                }));
    }

    /**
     * {@code thread.activity}: a message was added to a thread (or, for a reply, finished). Its id names the message,
     * so a client that already shows it whole need not fetch the thread again.
     */
    static Event threadActivity(Message m, long nowMillis) {
        return new Event(
                "thread.activity",
                Map.of(
                        "root_id",
                        m.rootId(),
                        "last_activity_at",
                        java.time.Instant.ofEpochMilli(nowMillis).toString()),
                id(m.rootId(), m.id(), null, nowMillis));
    }

    /** The SSE id of an event: {@code <root>:<message>:<chunk>:<ts_ms>}, "-" for parts it has none of. */
    static String id(String root, String message, Integer chunk, long tsMillis) {
        return (root == null ? "-" : root) + ":" + (message == null ? "-" : message) + ":"
                + (chunk == null ? "-" : chunk) + ":" + tsMillis;
    }
}
