package io.rustbucket.logs.queue;

import io.rustbucket.logs.ecs.LogEvent;
import java.time.Duration;
import java.util.List;

/**
 * Between accepting events over HTTP and indexing them. Bounded: a batch is taken whole or refused whole (the
 * client gets 429 and retries it), never half. A taken batch is {@link #done} once indexed; until then it still
 * counts against the capacity (and, on Redis, can be reclaimed if this process dies).
 */
public interface IngestQueue extends AutoCloseable {
    /** Events handed to the indexer; {@code handles} are the queue's own ids (stream entry ids on Redis). */
    record Batch(List<LogEvent> events, List<String> handles) {
        public static final Batch EMPTY = new Batch(List.of(), List.of());

        public boolean isEmpty() {
            return events.isEmpty();
        }
    }

    /** Accepts a whole batch, or refuses it when it does not fit. */
    boolean offer(List<LogEvent> batch);

    /** Waits up to {@code wait} for events; returns at most {@code max} of them (empty when none came). */
    Batch take(int max, Duration wait) throws InterruptedException;

    /** The batch is indexed (or given up on): release its room. */
    void done(Batch batch);

    /** Items the index refused for good, with the reason: kept where an operator can see them, never retried. */
    void deadLetter(LogEvent event, String reason);

    /** Events accepted and not yet indexed. */
    int depth();

    int capacity();

    @Override
    void close();
}
