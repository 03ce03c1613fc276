package io.rustbucket.logs;

import static io.rustbucket.core.config.ConfigException.require;

import java.time.Duration;

/**
 * The {@code [logs]} table.
 *
 * @param backend {@code lucene} (embedded, default); OpenSearch arrives with its backend
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
        Integer tailBufferEvents) {
    public enum Backend {
        LUCENE
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
        tailBufferEvents = tailBufferEvents == null ? 1000 : tailBufferEvents;
        require(
                tailBufferEvents >= 10 && tailBufferEvents <= 100_000,
                "logs.tail_buffer_events",
                tailBufferEvents,
                "10..100000");
    }

    public static LogsConfig defaults() {
        return new LogsConfig(null, null, null, null, null, null);
    }

    public Duration refresh() {
        return Duration.ofMillis(refreshMillis);
    }
}
