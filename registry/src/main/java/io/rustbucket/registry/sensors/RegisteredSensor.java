package io.rustbucket.registry.sensors;

import java.time.Instant;

/**
 * A sensor as the registry knows it: what it registered with, its latest metrics, and the pollers' progress.
 * The polling key is not here; {@link Sensors#pollKey} decrypts it for the pollers only.
 */
public record RegisteredSensor(
        String id,
        String name,
        String ipAddress,
        String operatingSystem,
        SensorStatus status,
        Metrics metrics,
        String s3BucketName,
        String s3Region,
        String s3Prefix,
        String mgmtUrl,
        String mgmtCertSha256,
        Instant registeredAt,
        Instant lastSeenAt,
        Instant lastLogPullAt,
        String logCursor,
        String lastError) {

    /** The status strings sensors report (spec limits: 10, 10, 20, 20, 20 characters). */
    public record Metrics(String cpuUsage, String memoryUsage, String diskSpace, String uptime, String connections) {}

    /** True when polls go over HTTPS pinned to a registered certificate; false for legacy plain-HTTP sensors. */
    public boolean pinned() {
        return mgmtUrl != null && !mgmtUrl.isEmpty() && mgmtCertSha256 != null && !mgmtCertSha256.isEmpty();
    }
}
