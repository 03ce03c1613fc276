package io.rustbucket.core.store;

import static io.rustbucket.core.config.ConfigException.require;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code [store]} table: which object store holds the bucket.
 *
 * @param kind {@code folder} (default) or {@code s3}
 * @param folder folder of the folder store; empty = {@code DATA/store}
 * @param s3 settings of the S3 store
 */
public record StoreConfig(Kind kind, String folder, S3 s3) {
    public enum Kind {
        FOLDER,
        S3
    }

    public StoreConfig {
        kind = kind == null ? Kind.FOLDER : kind;
        folder = folder == null ? "" : folder;
        s3 = s3 == null ? S3.defaults() : s3;
        require(
                kind != Kind.S3 || !s3.bucket().isBlank(),
                "store.s3.bucket",
                s3.bucket(),
                "a bucket name when store.kind = s3");
    }

    public static StoreConfig defaults() {
        return new StoreConfig(null, null, null);
    }

    /** The folder store's location under the given data directory unless configured. */
    public Path folderPath(Path dataDir) {
        return folder.isBlank()
                ? dataDir.resolve("store")
                : Path.of(folder).toAbsolutePath().normalize();
    }

    /**
     * The {@code [store.s3]} table.
     *
     * @param endpoint endpoint URL for MinIO or another S3 server; empty = AWS
     * @param pathStyle path-style addressing ({@code http://host/bucket/key}), which MinIO needs
     * @param prefix a key prefix inside the bucket, so several installs can share one bucket
     * @param accessKeyId empty = the AWS default credential chain (env, profile, instance role)
     * @param maxAttempts attempts per request, with exponential backoff, before the store reports unavailable
     * @param timeoutSecs per-attempt timeout; a stalled connection fails instead of hanging a job
     */
    public record S3(
            String bucket,
            String region,
            String endpoint,
            Boolean pathStyle,
            String prefix,
            String accessKeyId,
            String secretAccessKey,
            Integer maxAttempts,
            Integer timeoutSecs) {
        public S3 {
            bucket = bucket == null ? "" : bucket.trim();
            region = region == null || region.isBlank() ? "us-east-1" : region.trim();
            endpoint = endpoint == null ? "" : endpoint.trim();
            require(
                    endpoint.isEmpty() || endpoint.startsWith("http://") || endpoint.startsWith("https://"),
                    "store.s3.endpoint",
                    endpoint,
                    "an http:// or https:// URL");
            pathStyle = pathStyle != null && pathStyle;
            prefix = prefix == null ? "" : prefix;
            require(prefix.isEmpty() || prefix.endsWith("/"), "store.s3.prefix", prefix, "empty or ending in '/'");
            accessKeyId = accessKeyId == null ? "" : accessKeyId;
            secretAccessKey = secretAccessKey == null ? "" : secretAccessKey;
            maxAttempts = maxAttempts == null ? 5 : maxAttempts;
            require(maxAttempts >= 1 && maxAttempts <= 20, "store.s3.max_attempts", maxAttempts, "1..20");
            timeoutSecs = timeoutSecs == null ? 30 : timeoutSecs;
            require(timeoutSecs >= 1 && timeoutSecs <= 3600, "store.s3.timeout_secs", timeoutSecs, "1..3600");
        }

        public static S3 defaults() {
            return new S3(null, null, null, null, null, null, null, null, null);
        }

        public Duration timeout() {
            return Duration.ofSeconds(timeoutSecs);
        }

        @Override
        public String toString() {
            // Never print the secret key.
            return "S3[bucket=" + bucket + ", region=" + region + ", endpoint=" + endpoint + ", prefix=" + prefix + "]";
        }
    }
}
