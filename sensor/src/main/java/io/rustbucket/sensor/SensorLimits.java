package io.rustbucket.sensor;

import static io.rustbucket.core.config.ConfigException.require;

import java.time.Duration;

/**
 * Every limit the sensor enforces, each with its default and the attack it stops (table {@code [limits]}).
 * One enforcement point per limit: connections in the gate, line length in the bounded reader, and so on.
 *
 * @param maxConnections open connections over all listeners; a connection flood cannot exhaust file handles
 * @param perIpConnections open connections from one source address; one scanner cannot take every slot
 * @param idleTimeoutSecs a connection silent this long is closed; slow-drip clients cannot hold sockets
 * @param preAuthTimeoutSecs time to complete a login; stalled handshakes are dropped sooner than idle sessions
 * @param sessionCapSecs total time of one session however active; bounds what one connection can cost
 * @param lineMaxBytes longest protocol line (command, header line); a 1 MB line is refused, not buffered
 * @param headerMaxBytes all HTTP request headers together
 * @param bodyMaxBytes an HTTP body or an SMTP message
 * @param uploadMaxBytes one uploaded file (FTP STOR, SFTP/SCP) kept in quarantine
 */
public record SensorLimits(
        Integer maxConnections,
        Integer perIpConnections,
        Integer idleTimeoutSecs,
        Integer preAuthTimeoutSecs,
        Integer sessionCapSecs,
        Integer lineMaxBytes,
        Integer headerMaxBytes,
        Long bodyMaxBytes,
        Long uploadMaxBytes) {
    public static final int DEFAULT_MAX_CONNECTIONS = 10_000;
    public static final int DEFAULT_PER_IP_CONNECTIONS = 64;
    public static final int DEFAULT_IDLE_TIMEOUT_SECS = 120;
    public static final int DEFAULT_PRE_AUTH_TIMEOUT_SECS = 30;
    public static final int DEFAULT_SESSION_CAP_SECS = 30 * 60;
    public static final int DEFAULT_LINE_MAX_BYTES = 8 * 1024;
    public static final int DEFAULT_HEADER_MAX_BYTES = 16 * 1024;
    public static final long DEFAULT_BODY_MAX_BYTES = 1024 * 1024;
    public static final long DEFAULT_UPLOAD_MAX_BYTES = 10 * 1024 * 1024;

    public SensorLimits {
        maxConnections = maxConnections == null ? DEFAULT_MAX_CONNECTIONS : maxConnections;
        require(
                maxConnections >= 1 && maxConnections <= 1_000_000,
                "limits.max_connections",
                maxConnections,
                "1..1000000");
        perIpConnections = perIpConnections == null ? DEFAULT_PER_IP_CONNECTIONS : perIpConnections;
        require(
                perIpConnections >= 1 && perIpConnections <= maxConnections,
                "limits.per_ip_connections",
                perIpConnections,
                "1..limits.max_connections");
        idleTimeoutSecs = idleTimeoutSecs == null ? DEFAULT_IDLE_TIMEOUT_SECS : idleTimeoutSecs;
        require(
                idleTimeoutSecs >= 1 && idleTimeoutSecs <= 86_400,
                "limits.idle_timeout_secs",
                idleTimeoutSecs,
                "1..86400");
        preAuthTimeoutSecs = preAuthTimeoutSecs == null ? DEFAULT_PRE_AUTH_TIMEOUT_SECS : preAuthTimeoutSecs;
        require(
                preAuthTimeoutSecs >= 1 && preAuthTimeoutSecs <= 3600,
                "limits.pre_auth_timeout_secs",
                preAuthTimeoutSecs,
                "1..3600");
        sessionCapSecs = sessionCapSecs == null ? DEFAULT_SESSION_CAP_SECS : sessionCapSecs;
        require(sessionCapSecs >= 1 && sessionCapSecs <= 86_400, "limits.session_cap_secs", sessionCapSecs, "1..86400");
        lineMaxBytes = lineMaxBytes == null ? DEFAULT_LINE_MAX_BYTES : lineMaxBytes;
        require(lineMaxBytes >= 64 && lineMaxBytes <= 1 << 20, "limits.line_max_bytes", lineMaxBytes, "64..1048576");
        headerMaxBytes = headerMaxBytes == null ? DEFAULT_HEADER_MAX_BYTES : headerMaxBytes;
        require(
                headerMaxBytes >= 256 && headerMaxBytes <= 1 << 20,
                "limits.header_max_bytes",
                headerMaxBytes,
                "256..1048576");
        bodyMaxBytes = bodyMaxBytes == null ? DEFAULT_BODY_MAX_BYTES : bodyMaxBytes;
        require(bodyMaxBytes >= 0 && bodyMaxBytes <= 1L << 30, "limits.body_max_bytes", bodyMaxBytes, "0..1073741824");
        uploadMaxBytes = uploadMaxBytes == null ? DEFAULT_UPLOAD_MAX_BYTES : uploadMaxBytes;
        require(
                uploadMaxBytes >= 0 && uploadMaxBytes <= 1L << 32,
                "limits.upload_max_bytes",
                uploadMaxBytes,
                "0..4294967296");
    }

    public static SensorLimits defaults() {
        return new SensorLimits(null, null, null, null, null, null, null, null, null);
    }

    public Duration idleTimeout() {
        return Duration.ofSeconds(idleTimeoutSecs);
    }

    public Duration preAuthTimeout() {
        return Duration.ofSeconds(preAuthTimeoutSecs);
    }

    public Duration sessionCap() {
        return Duration.ofSeconds(sessionCapSecs);
    }
}
