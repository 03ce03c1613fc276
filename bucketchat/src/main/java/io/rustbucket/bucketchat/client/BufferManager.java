package io.rustbucket.bucketchat.client;

import io.rustbucket.bucketchat.event.ChatEvent;
import io.rustbucket.bucketchat.storage.LogWriter;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Collects a sender's events and writes them as one file per flush: every {@code interval}, when
 * {@code maxEvents} are waiting, and on close. A failed flush keeps the events and is retried at the next one.
 * Overflow policy: while the store fails, at most {@code 100 * maxEvents} events wait; beyond that {@link #add}
 * refuses with an exception instead of growing without bound.
 */
public final class BufferManager implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(BufferManager.class);

    private final LogWriter writer;
    private final String roomId;
    private final String senderId;
    private final int maxEvents;
    private final List<ChatEvent> pending = new ArrayList<>();
    private final ScheduledExecutorService timer;

    public BufferManager(LogWriter writer, String roomId, String senderId, int maxEvents, Duration interval) {
        this.writer = writer;
        this.roomId = roomId;
        this.senderId = senderId;
        this.maxEvents = maxEvents;
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("bucketchat-flush").factory());
        timer.scheduleWithFixedDelay(this::timedFlush, interval.toMillis(), interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Queues an event; flushes when the batch is full. */
    public synchronized void add(ChatEvent e) {
        if (pending.size() >= maxEvents * 100) {
            throw new IllegalStateException(
                    "send buffer full (" + pending.size() + " events): the store keeps failing");
        }
        pending.add(e);
        if (pending.size() >= maxEvents) {
            flush();
        }
    }

    /** Writes everything pending; returns the keys written (empty when nothing was pending). */
    public synchronized List<String> flush() {
        if (pending.isEmpty()) {
            return List.of();
        }
        List<String> keys = writer.write(roomId, senderId, pending);
        pending.clear();
        return keys;
    }

    public synchronized int pending() {
        return pending.size();
    }

    private void timedFlush() {
        try {
            flush();
        } catch (RuntimeException e) {
            log.warn(
                    "flush of {} to {} failed; kept {} events for the next try: {}",
                    senderId,
                    roomId,
                    pending(),
                    e.getMessage());
        }
    }

    @Override
    public void close() {
        timer.shutdownNow();
        flush();
    }
}
