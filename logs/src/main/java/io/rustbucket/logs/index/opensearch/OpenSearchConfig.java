package io.rustbucket.logs.index.opensearch;

import static io.rustbucket.core.config.ConfigException.require;

/**
 * The {@code [logs.opensearch]} table.
 *
 * @param indexPrefix index names are {@code {prefix}-{service}-{YYYY.MM.DD}}, alias {@code {prefix}}
 * @param refreshIntervalSecs the indices' refresh interval (OpenSearch advice for log ingest: 30 s or more)
 * @param bulkMaxBytes one {@code _bulk} request carries at most about this many bytes (5-10 MiB is efficient)
 * @param maxAttempts tries per bulk request while the cluster answers 429/5xx, with exponential backoff
 */
public record OpenSearchConfig(
        String url,
        String username,
        String password,
        String indexPrefix,
        Integer replicas,
        Integer refreshIntervalSecs,
        Integer bulkMaxBytes,
        Integer bulkMaxEvents,
        Integer maxAttempts) {
    public OpenSearchConfig {
        url = url == null || url.isBlank() ? "http://127.0.0.1:9200" : url.trim();
        require(
                url.startsWith("http://") || url.startsWith("https://"),
                "logs.opensearch.url",
                url,
                "an http:// or https:// URL");
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        indexPrefix = indexPrefix == null || indexPrefix.isBlank() ? "logs" : indexPrefix;
        require(
                indexPrefix.matches("[a-z0-9][a-z0-9_-]{0,40}"),
                "logs.opensearch.index_prefix",
                indexPrefix,
                "lower-case letters, digits, _ and -");
        replicas = replicas == null ? 1 : replicas;
        require(replicas >= 0 && replicas <= 10, "logs.opensearch.replicas", replicas, "0..10");
        refreshIntervalSecs = refreshIntervalSecs == null ? 30 : refreshIntervalSecs;
        require(
                refreshIntervalSecs >= 1 && refreshIntervalSecs <= 3600,
                "logs.opensearch.refresh_interval_secs",
                refreshIntervalSecs,
                "1..3600");
        bulkMaxBytes = bulkMaxBytes == null ? 8 * 1024 * 1024 : bulkMaxBytes;
        require(
                bulkMaxBytes >= 64 * 1024 && bulkMaxBytes <= 100 * 1024 * 1024,
                "logs.opensearch.bulk_max_bytes",
                bulkMaxBytes,
                "65536..104857600");
        bulkMaxEvents = bulkMaxEvents == null ? 10_000 : bulkMaxEvents;
        require(
                bulkMaxEvents >= 1 && bulkMaxEvents <= 100_000,
                "logs.opensearch.bulk_max_events",
                bulkMaxEvents,
                "1..100000");
        maxAttempts = maxAttempts == null ? 6 : maxAttempts;
        require(maxAttempts >= 1 && maxAttempts <= 20, "logs.opensearch.max_attempts", maxAttempts, "1..20");
    }

    public static OpenSearchConfig defaults() {
        return new OpenSearchConfig(null, null, null, null, null, null, null, null, null);
    }

    @Override
    public String toString() {
        return "OpenSearchConfig[" + url + ", prefix " + indexPrefix + "]"; // never the password
    }
}
