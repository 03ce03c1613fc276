package io.rustbucket.logs.ingest;

import io.rustbucket.core.health.Incident;
import io.rustbucket.logs.ecs.LogEvent;
import io.rustbucket.logs.index.IndexUnavailableException;
import io.rustbucket.logs.index.LogIndex;
import io.rustbucket.logs.queue.IngestQueue;
import io.rustbucket.logs.search.LiveTail;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves events from the queue into the index in batches. A backend that is down is retried with backoff while
 * the queue holds the events (so the API answers 429/503, not lost data); items the backend refuses for good
 * go to the queue's dead letters, never retried forever.
 */
public final class Indexer implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Indexer.class);
    /** Events per write: large enough for efficient OpenSearch bulks (the backend splits by bytes too). */
    static final int BATCH = 5000;
    /** Longest wait for a batch to fill; bounds the latency it adds. */
    static final Duration LINGER = Duration.ofMillis(100);

    private final IngestQueue queue;
    private final LogIndex index;
    private final LiveTail tail;
    private final Incident incident;
    private final AtomicLong indexed = new AtomicLong();
    private final AtomicLong rejected = new AtomicLong();
    private final List<Thread> workers = new java.util.ArrayList<>();
    private volatile boolean running = true;
    private volatile boolean backendDown;
    private volatile long stopDeadline = Long.MAX_VALUE;

    /** @param threads concurrent writers: more keep the backend busy while one waits for a bulk answer */
    public Indexer(IngestQueue queue, LogIndex index, LiveTail tail, Clock clock, int threads) {
        this.queue = queue;
        this.index = index;
        this.tail = tail;
        this.incident = new Incident("log index " + index.describe(), clock);
        for (int i = 0; i < threads; i++) {
            workers.add(Thread.ofPlatform().name("log-indexer-" + i).daemon().start(this::loop));
        }
    }

    private void loop() {
        // After close() the loop keeps draining what was accepted, until the queue is empty or the deadline.
        while (running || (queue.depth() > 0 && System.nanoTime() < stopDeadline)) {
            try {
                IngestQueue.Batch batch = fill(queue.take(BATCH, Duration.ofMillis(200)));
                if (!batch.isEmpty()) {
                    write(batch);
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                // A queue that fails (Redis down) must not end indexing for good: log once per incident, retry.
                incident.failed(e);
                sleepQuietly(1000);
            }
        }
    }

    /**
     * Under load, waits up to {@link #LINGER} for more events so writes go out in big batches (a backend handles
     * one bulk of 5,000 far better than twenty of 250); when idle it writes at once.
     */
    private IngestQueue.Batch fill(IngestQueue.Batch first) throws InterruptedException {
        if (first.isEmpty() || first.events().size() >= BATCH) {
            return first;
        }
        List<LogEvent> events = new java.util.ArrayList<>(first.events());
        List<String> handles = new java.util.ArrayList<>(first.handles());
        long deadline = System.nanoTime() + LINGER.toNanos();
        while (events.size() < BATCH && System.nanoTime() < deadline) {
            IngestQueue.Batch more = queue.take(BATCH - events.size(), Duration.ofMillis(10));
            if (more.isEmpty()) {
                break; // nothing arrived for 10 ms: not under load, write now
            }
            events.addAll(more.events());
            handles.addAll(more.handles());
        }
        return new IngestQueue.Batch(events, handles);
    }

    private void write(IngestQueue.Batch batch) throws InterruptedException {
        List<LogEvent> events = batch.events();
        long backoff = 100;
        while (true) {
            try {
                Map<Integer, String> failed = index.index(events);
                backendDown = false;
                incident.succeeded();
                if (!failed.isEmpty()) {
                    rejected.addAndGet(failed.size());
                    log.warn(
                            "index refused {} of {} events, e.g. {}",
                            failed.size(),
                            events.size(),
                            failed.values().iterator().next());
                    failed.forEach((i, reason) -> queue.deadLetter(events.get(i), reason));
                }
                indexed.addAndGet(events.size() - failed.size());
                tail.publish(events);
                queue.done(batch);
                return;
            } catch (IndexUnavailableException e) {
                backendDown = true;
                incident.failed(e);
                if (!running && System.nanoTime() >= stopDeadline) {
                    log.error("stopping with {} events not indexed: the index is unavailable", queue.depth());
                    return;
                }
                Thread.sleep(backoff);
                backoff = Math.min(5_000, backoff * 2);
            }
        }
    }

    private static void sleepQuietly(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** True while the backend refuses writes (the ingest API then answers 503 instead of 429 when full). */
    public boolean backendDown() {
        return backendDown;
    }

    public long indexed() {
        return indexed.get();
    }

    public long rejected() {
        return rejected.get();
    }

    @Override
    public void close() {
        stopDeadline = System.nanoTime() + Duration.ofSeconds(4).toNanos();
        running = false;
        try {
            // Not interrupted: they may be inside Lucene I/O. They stop by themselves once drained or past the
            // deadline.
            for (Thread w : workers) {
                w.join(Duration.ofSeconds(6));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
