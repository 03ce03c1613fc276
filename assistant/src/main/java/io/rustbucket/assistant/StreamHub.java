package io.rustbucket.assistant;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.TimeUnit;

/**
 * Fans a conversation's events out to its open streams. Publishing never blocks: each subscriber has a bounded
 * queue, and a subscriber that falls {@link #QUEUE} events behind is marked lagging and disconnected (its client
 * resumes from the persisted chunks with {@code Last-Event-ID}). A slow reader therefore never slows the
 * generation or the other readers.
 */
public final class StreamHub {
    public static final int QUEUE = 4096;

    /**
     * One SSE frame: {@code event: name}, {@code id}, data {@code {"type": name, "payload": ...}}. The frame's
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
            return ("event: " + name + "\nid: " + id + "\ndata: " + io.rustbucket.core.json.Json.write(data) + "\n\n")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
    }

    public final class Subscriber implements AutoCloseable {
        private final String conversationId;
        private final BlockingQueue<Event> queue = new ArrayBlockingQueue<>(QUEUE);
        private volatile boolean lagging;

        private Subscriber(String conversationId) {
            this.conversationId = conversationId;
        }

        public Event next(long timeoutMs) throws InterruptedException {
            return queue.poll(timeoutMs, TimeUnit.MILLISECONDS);
        }

        /** True once events were dropped for this subscriber: it must reconnect and resume. */
        public boolean lagging() {
            return lagging;
        }

        void offer(Event e) {
            if (!queue.offer(e)) {
                lagging = true;
            }
        }

        @Override
        public void close() {
            Set<Subscriber> set = subscribers.get(conversationId);
            if (set != null) {
                set.remove(this);
            }
        }
    }

    private final Map<String, Set<Subscriber>> subscribers = new ConcurrentHashMap<>();

    public Subscriber subscribe(String conversationId) {
        Subscriber s = new Subscriber(conversationId);
        subscribers
                .computeIfAbsent(conversationId, c -> new CopyOnWriteArraySet<>())
                .add(s);
        return s;
    }

    public void publish(String conversationId, Event e) {
        Set<Subscriber> set = subscribers.get(conversationId);
        if (set != null) {
            for (Subscriber s : set) {
                s.offer(e);
            }
        }
    }

    public int subscribers(String conversationId) {
        Set<Subscriber> set = subscribers.get(conversationId);
        return set == null ? 0 : set.size();
    }

    /** The SSE id of an event: {@code <root>:<message>:<chunk>:<ts_ms>}, "-" for parts it has none of. */
    static String id(String root, String message, Integer chunk, long tsMillis) {
        return (root == null ? "-" : root) + ":" + (message == null ? "-" : message) + ":"
                + (chunk == null ? "-" : chunk) + ":" + tsMillis;
    }
}
