package io.rustbucket.logs;

import static io.rustbucket.core.config.ConfigException.require;

import java.time.Duration;

/**
 * The {@code [logs]} table.
 *
 * @param backend {@code lucene} (embedded, default) or {@code opensearch} (settings in {@code [logs.opensearch]})
 * @param retentionDays daily indices older than this are deleted
 * @param queueEvents events accepted but not yet indexed, at most; beyond, ingest answers 429
 * @param maxBodyBytes ingest request limit; larger bodies get 413
 * @param refreshMillis how soon an indexed event is searchable (<= 1000)
 * @param tailBufferEvents per live-tail subscriber; a slower reader loses its oldest events
 */
public record LogsConfig(
        Backend backend,
        Integer retentionDays,
        Integer queueEvents,
        Long maxBodyBytes,
        Integer refreshMillis,
        Integer tailBufferEvents,
        QueueKind queue,
        Redis redis,
        io.rustbucket.logs.index.opensearch.OpenSearchConfig opensearch) {
    public enum Backend {
        LUCENE,
        OPENSEARCH
    }

    /** {@code memory} (default, in-process) or {@code redis} (durable, shared by several ingest processes). */
    public enum QueueKind {
        MEMORY,
        REDIS
    }

    /**
     * The {@code [logs.redis]} table.
     *
     * @param maxDeliveries an entry delivered more often without being indexed goes to the dead-letter stream
     * @param reclaimIdleSecs entries pending this long (their consumer died) are taken over by another
     */
    public record Redis(String url, String stream, String group, Integer maxDeliveries, Integer reclaimIdleSecs) {
        public Redis {
            url = url == null || url.isBlank() ? "redis://127.0.0.1:6379" : url.trim();
            require(
                    url.startsWith("redis://") || url.startsWith("rediss://"),
                    "logs.redis.url",
                    url,
                    "a redis:// or rediss:// URL");
            stream = stream == null || stream.isBlank() ? "logs:ingest" : stream;
            group = group == null || group.isBlank() ? "indexers" : group;
            maxDeliveries = maxDeliveries == null ? 5 : maxDeliveries;
            require(maxDeliveries >= 1 && maxDeliveries <= 1000, "logs.redis.max_deliveries", maxDeliveries, "1..1000");
            reclaimIdleSecs = reclaimIdleSecs == null ? 60 : reclaimIdleSecs;
            require(
                    reclaimIdleSecs >= 1 && reclaimIdleSecs <= 86400,
                    "logs.redis.reclaim_idle_secs",
                    reclaimIdleSecs,
                    "1..86400");
        }

        public static Redis defaults() {
            return new Redis(null, null, null, null, null);
        }
    }

    public LogsConfig {
        backend = backend == null ? Backend.LUCENE : backend;
        retentionDays = retentionDays == null ? 7 : retentionDays;
        require(retentionDays >= 1 && retentionDays <= 3650, "logs.retention_days", retentionDays, "1..3650");
        queueEvents = queueEvents == null ? 100_000 : queueEvents;
        require(queueEvents >= 100 && queueEvents <= 10_000_000, "logs.queue_events", queueEvents, "100..10000000");
        maxBodyBytes = maxBodyBytes == null ? 10L * 1024 * 1024 : maxBodyBytes;
        require(
                maxBodyBytes >= 1024 && maxBodyBytes <= 1L << 30,
                "logs.max_body_bytes",
                maxBodyBytes,
                "1024..1073741824");
        refreshMillis = refreshMillis == null ? 500 : refreshMillis;
        require(refreshMillis >= 50 && refreshMillis <= 1000, "logs.refresh_millis", refreshMillis, "50..1000");
        queue = queue == null ? QueueKind.MEMORY : queue;
        redis = redis == null ? Redis.defaults() : redis;
        opensearch = opensearch == null ? io.rustbucket.logs.index.opensearch.OpenSearchConfig.defaults() : opensearch;
        tailBufferEvents = tailBufferEvents == null ? 1000 : tailBufferEvents;
        require(
                tailBufferEvents >= 10 && tailBufferEvents <= 100_000,
                "logs.tail_buffer_events",
                tailBufferEvents,
                "10..100000");
    }

    public static LogsConfig defaults() {
        return new LogsConfig(null, null, null, null, null, null, null, null, null);
    }

    public Duration refresh() {
        return Duration.ofMillis(refreshMillis);
    }
}
