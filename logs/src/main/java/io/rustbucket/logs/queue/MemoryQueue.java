package io.rustbucket.logs.queue;

import io.rustbucket.logs.ecs.LogEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * The default queue: in memory, bounded by a count of events. Capacity is held from acceptance until the
 * events are indexed ({@link #done}), so memory never holds more than {@code capacity} events, however slow the
 * index. Overflow policy: refuse the batch (429). Events in it are lost if the process dies before indexing;
 * Redis Streams is the durable option.
 */
public final class MemoryQueue implements IngestQueue {
    private final int capacity;
    private final Semaphore room;
    private final LinkedBlockingQueue<LogEvent> events = new LinkedBlockingQueue<>();

    public MemoryQueue(int capacity) {
        this.capacity = capacity;
        this.room = new Semaphore(capacity);
    }

    @Override
    public boolean offer(List<LogEvent> batch) {
        if (batch.size() > capacity || !room.tryAcquire(batch.size())) {
            return false;
        }
        events.addAll(batch);
        return true;
    }

    @Override
    public Batch take(int max, Duration wait) throws InterruptedException {
        LogEvent first = events.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
        if (first == null) {
            return Batch.EMPTY;
        }
        List<LogEvent> out = new ArrayList<>(Math.min(max, 1024));
        out.add(first);
        events.drainTo(out, max - 1);
        return new Batch(out, List.of());
    }

    @Override
    public void done(Batch batch) {
        room.release(batch.events().size());
    }

    /** In memory there is nowhere durable to keep them: the indexer has logged and counted them. */
    @Override
    public void deadLetter(LogEvent event, String reason) {}

    @Override
    public int depth() {
        return capacity - room.availablePermits();
    }

    @Override
    public int capacity() {
        return capacity;
    }

    @Override
    public void close() {}
}
