package io.rustbucket.logs.queue;

import io.rustbucket.logs.ecs.LogEvent;
import java.time.Duration;
import java.util.List;

/**
 * Between accepting events over HTTP and indexing them. Bounded: a batch is taken whole or refused whole (the
 * client gets 429 and retries it), never half.
 */
public interface IngestQueue extends AutoCloseable {
    /** Accepts a whole batch, or refuses it when it does not fit. */
    boolean offer(List<LogEvent> batch);

    /** Waits up to {@code wait} for events; returns at most {@code max} of them (empty when none came). */
    List<LogEvent> take(int max, Duration wait) throws InterruptedException;

    /** Releases the room of events that are now indexed (or given up on). */
    void done(int events);

    /** Events accepted and not yet indexed. */
    int depth();

    int capacity();

    @Override
    void close();
}
