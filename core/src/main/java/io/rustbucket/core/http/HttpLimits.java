package io.rustbucket.core.http;

import static io.rustbucket.core.config.ConfigException.require;

import java.time.Duration;

/**
 * The {@code [http]} table: limits of the platform HTTP server.
 *
 * @param maxBodyBytes default request body limit; larger bodies get 413 (stops memory exhaustion)
 * @param maxHeaderBytes request line + headers limit (stops header floods)
 * @param idleTimeoutSecs a connection idle this long is closed (stops slowloris clients holding sockets)
 * @param accessLog whether each request is logged on logger {@code io.rustbucket.access}
 */
public record HttpLimits(Long maxBodyBytes, Integer maxHeaderBytes, Integer idleTimeoutSecs, Boolean accessLog) {
    public static final long DEFAULT_MAX_BODY_BYTES = 1024 * 1024;
    public static final int DEFAULT_MAX_HEADER_BYTES = 16 * 1024;
    public static final int DEFAULT_IDLE_TIMEOUT_SECS = 30;

    public HttpLimits {
        maxBodyBytes = maxBodyBytes == null ? DEFAULT_MAX_BODY_BYTES : maxBodyBytes;
        require(
                maxBodyBytes >= 1024 && maxBodyBytes <= 1L << 30,
                "http.max_body_bytes",
                maxBodyBytes,
                "1024..1073741824");
        maxHeaderBytes = maxHeaderBytes == null ? DEFAULT_MAX_HEADER_BYTES : maxHeaderBytes;
        require(
                maxHeaderBytes >= 1024 && maxHeaderBytes <= 1 << 20,
                "http.max_header_bytes",
                maxHeaderBytes,
                "1024..1048576");
        idleTimeoutSecs = idleTimeoutSecs == null ? DEFAULT_IDLE_TIMEOUT_SECS : idleTimeoutSecs;
        require(idleTimeoutSecs >= 1 && idleTimeoutSecs <= 3600, "http.idle_timeout_secs", idleTimeoutSecs, "1..3600");
        accessLog = accessLog == null || accessLog;
    }

    public static HttpLimits defaults() {
        return new HttpLimits(null, null, null, null);
    }

    public Duration idleTimeout() {
        return Duration.ofSeconds(idleTimeoutSecs);
    }
}
