package io.rustbucket.logs.search;

import io.rustbucket.logs.ecs.LogEvent;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArraySet;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

/**
 * Fans newly indexed events out to live-tail subscribers. Each subscriber has its own bounded buffer; a slow
 * one loses its oldest events (and is told how many) instead of slowing indexing or the others.
 */
public final class LiveTail {
    /** A subscriber's buffer and filter. */
    public static final class Subscription implements AutoCloseable {
        private final BlockingQueue<LogEvent> buffer;
        private final Predicate<LogEvent> filter;
        private final AtomicLong dropped = new AtomicLong();
        private final Set<Subscription> owner;

        Subscription(int capacity, Predicate<LogEvent> filter, Set<Subscription> owner) {
            this.buffer = new ArrayBlockingQueue<>(capacity);
            this.filter = filter;
            this.owner = owner;
        }

        void offer(LogEvent e) {
            if (!filter.test(e)) {
                return;
            }
            while (!buffer.offer(e)) {
                if (buffer.poll() != null) {
                    dropped.incrementAndGet();
                }
            }
        }

        /** Waits for the next event; null after the timeout. */
        public LogEvent next(long timeoutMs) throws InterruptedException {
            return buffer.poll(timeoutMs, java.util.concurrent.TimeUnit.MILLISECONDS);
        }

        /** How many events were dropped since the last call. */
        public long takeDropped() {
            return dropped.getAndSet(0);
        }

        @Override
        public void close() {
            owner.remove(this);
        }
    }

    private final Set<Subscription> subscribers = new CopyOnWriteArraySet<>();
    private final int bufferEvents;
    private volatile boolean closed;

    public LiveTail(int bufferEvents) {
        this.bufferEvents = bufferEvents;
    }

    public Subscription subscribe(Predicate<LogEvent> filter) {
        Subscription s = new Subscription(bufferEvents, filter, subscribers);
        subscribers.add(s);
        return s;
    }

    public void publish(Iterable<LogEvent> events) {
        if (subscribers.isEmpty()) {
            return;
        }
        for (LogEvent e : events) {
            for (Subscription s : subscribers) {
                s.offer(e);
            }
        }
    }

    public int subscribers() {
        return subscribers.size();
    }

    /** Ends every stream: open tails see {@link #isClosed()} within their next wait and return. */
    public void close() {
        closed = true;
    }

    public boolean isClosed() {
        return closed;
    }
}
