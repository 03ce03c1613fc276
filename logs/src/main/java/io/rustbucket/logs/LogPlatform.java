package io.rustbucket.logs;

import io.rustbucket.core.health.PartState;
import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.logs.index.IndexUnavailableException;
import io.rustbucket.logs.index.LogIndex;
import io.rustbucket.logs.index.LogQuery;
import io.rustbucket.logs.index.SearchPage;
import io.rustbucket.logs.index.lucene.LuceneIndex;
import io.rustbucket.logs.ingest.Indexer;
import io.rustbucket.logs.ingest.IngestResult;
import io.rustbucket.logs.ingest.IngestService;
import io.rustbucket.logs.queue.IngestQueue;
import io.rustbucket.logs.queue.MemoryQueue;
import io.rustbucket.logs.retention.RetentionJob;
import io.rustbucket.logs.search.LiveTail;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The log platform's service: ingest into the queue, index, search, tail, retention. One instance per process;
 * {@link #routes} gives its HTTP API to the platform server.
 */
public final class LogPlatform implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogPlatform.class);

    private final LogIndex index;
    private final IngestQueue queue;
    private final LiveTail tail;
    private final Indexer indexer;
    private final IngestService ingest;
    private final RetentionJob retention;
    private final ScheduledExecutorService jobs;
    private final LogsConfig config;
    private final CoreServices core;

    private LogPlatform(CoreServices core, LogsConfig config, LogIndex index, IngestQueue queue) {
        this.core = core;
        this.config = config;
        this.index = index;
        this.queue = queue;
        this.tail = new LiveTail(config.tailBufferEvents());
        // Redis: one reader per process (its blocking reads share one connection); others: two writers.
        this.indexer =
                new Indexer(queue, index, tail, core.clock(), config.queue() == LogsConfig.QueueKind.REDIS ? 1 : 2);
        this.ingest = new IngestService(queue, indexer, core.clock());
        this.retention = new RetentionJob(index, config.retentionDays(), core.clock());
        this.jobs = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("logs-retention").factory());
        jobs.scheduleWithFixedDelay(this::retentionQuietly, 0, 1, TimeUnit.DAYS);
        core.readiness().register("logs", this::probe);
        io.micrometer.core.instrument.Gauge.builder("logs_queue_depth", queue, IngestQueue::depth)
                .register(core.metrics());
        io.micrometer.core.instrument.Gauge.builder("logs_indexed_total", indexer, Indexer::indexed)
                .register(core.metrics());
    }

    /** Opens the configured backend (embedded Lucene under {@code DATA/logs/lucene}) and starts indexing. */
    public static LogPlatform start(CoreServices core, LogsConfig config) {
        IngestQueue queue = switch (config.queue()) {
            case MEMORY -> new MemoryQueue(config.queueEvents());
            case REDIS ->
                new io.rustbucket.logs.queue.RedisStreamQueue(
                        config.redis().url(),
                        config.redis().stream(),
                        config.redis().group(),
                        config.queueEvents(),
                        config.redis().maxDeliveries(),
                        Duration.ofSeconds(config.redis().reclaimIdleSecs()));
        };
        LogIndex index = switch (config.backend()) {
            case LUCENE -> new LuceneIndex(core.dataDir().resolve("logs").resolve("lucene"), config.refresh());
            case OPENSEARCH ->
                new io.rustbucket.logs.index.opensearch.OpenSearchIndex(config.opensearch(), config.retentionDays());
        };
        return new LogPlatform(core, config, index, queue);
    }

    public io.rustbucket.core.http.ApiServer.Routes routes() {
        return new LogRoutes(this, core.authenticator(), core.revocations(), config.maxBodyBytes());
    }

    public IngestResult ingest(byte[] body, String contentType) {
        return ingest.ingest(body, contentType);
    }

    public SearchPage search(LogQuery q) {
        try {
            return index.search(q);
        } catch (IndexUnavailableException e) {
            throw ApiException.unavailable("log index unavailable", Duration.ofSeconds(5));
        }
    }

    public LiveTail tail() {
        return tail;
    }

    public int queueDepth() {
        return queue.depth();
    }

    public PartState probe() {
        PartState s = index.probe();
        return indexer.backendDown()
                ? PartState.down("logs", "index refuses writes; " + queue.depth() + " events waiting")
                : new PartState("logs", s.status(), s.detail());
    }

    public RetentionJob retention() {
        return retention;
    }

    public LogIndex index() {
        return index;
    }

    private void retentionQuietly() {
        try {
            retention.run();
        } catch (RuntimeException e) {
            log.error("retention run failed; next run in a day", e);
        }
    }

    /** Ends live-tail streams; call before stopping the HTTP server so open streams do not hold it. */
    public void stopStreams() {
        tail.close();
    }

    @Override
    public void close() {
        stopStreams();
        jobs.shutdownNow();
        indexer.close();
        queue.close();
        index.close();
    }
}
