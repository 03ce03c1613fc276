package io.rustbucket.registry;

import static io.rustbucket.core.config.ConfigException.require;

import java.time.Duration;

/**
 * The {@code [registry]} table. Schedule defaults are the spec's (specs/registry-protocol.md); each also has the
 * spec's environment variable (see {@code RustbucketConfig.ENV}).
 *
 * @param autoApprove new sensors start {@code Active} instead of {@code Review}
 * @param pullUpdatesSecs interval of the status poll
 * @param pullLogsSecs interval of the log pull
 * @param healthSecs interval of the health check
 * @param healthThresholdMinutes an Active sensor unseen this long raises an alert
 * @param parseSecs interval of the parser
 * @param analyzeSecs interval of the analyst
 * @param analysisIntervalHours the period one analysis covers
 * @param pollConcurrency sensors polled at once in one cycle
 * @param updateTimeoutSecs whole-request deadline of a status poll
 * @param logTimeoutSecs whole-request deadline of one log page
 * @param maxPageBytes a log page larger than this is refused (the sensor is misbehaving)
 * @param maxPagesPerPull pages fetched from one sensor in one cycle; the rest waits for the next cycle
 * @param pushLookbackDays days of pushed batches ({@code sensors/...}) listed by each parser run
 * @param analysisModel model the analyst asks; empty = {@code claude} when configured, else the default model
 * @param analysisSampleChars transcript characters sent to the model at most (its token budget, about 4 per token)
 * @param analysisMaxTokens answer length the model may write
 * @param sensorBucket, sensorRegion, sensorPrefix the {@code s3_config} answered to sensors that did not name one
 * @param secretKeyFile the key that encrypts the sensors' polling keys at rest; empty = {@code DATA/registry/secret.key}
 * @param legacyHttpPort port of {@code http://{ip}/...} for sensors that registered no management endpoint
 */
public record RegistryConfig(
        Boolean autoApprove,
        Integer pullUpdatesSecs,
        Integer pullLogsSecs,
        Integer healthSecs,
        Integer healthThresholdMinutes,
        Integer parseSecs,
        Integer analyzeSecs,
        Integer analysisIntervalHours,
        Integer pollConcurrency,
        Integer updateTimeoutSecs,
        Integer logTimeoutSecs,
        Long maxPageBytes,
        Integer maxPagesPerPull,
        Integer pushLookbackDays,
        String analysisModel,
        Integer analysisSampleChars,
        Integer analysisMaxTokens,
        String sensorBucket,
        String sensorRegion,
        String sensorPrefix,
        String secretKeyFile,
        Integer legacyHttpPort) {

    public RegistryConfig {
        autoApprove = autoApprove != null && autoApprove;
        pullUpdatesSecs = interval(pullUpdatesSecs, 300, "registry.pull_updates_secs");
        pullLogsSecs = interval(pullLogsSecs, 900, "registry.pull_logs_secs");
        healthSecs = interval(healthSecs, 600, "registry.health_secs");
        parseSecs = interval(parseSecs, 3600, "registry.parse_secs");
        analyzeSecs = interval(analyzeSecs, 14_400, "registry.analyze_secs");
        healthThresholdMinutes = healthThresholdMinutes == null ? 15 : healthThresholdMinutes;
        require(
                healthThresholdMinutes >= 1 && healthThresholdMinutes <= 10_080,
                "registry.health_threshold_minutes",
                healthThresholdMinutes,
                "1..10080");
        analysisIntervalHours = analysisIntervalHours == null ? 4 : analysisIntervalHours;
        require(
                analysisIntervalHours >= 1 && analysisIntervalHours <= 720,
                "registry.analysis_interval_hours",
                analysisIntervalHours,
                "1..720");
        pollConcurrency = pollConcurrency == null ? 64 : pollConcurrency;
        require(
                pollConcurrency >= 1 && pollConcurrency <= 4096,
                "registry.poll_concurrency",
                pollConcurrency,
                "1..4096");
        updateTimeoutSecs = updateTimeoutSecs == null ? 10 : updateTimeoutSecs;
        require(
                updateTimeoutSecs >= 1 && updateTimeoutSecs <= 600,
                "registry.update_timeout_secs",
                updateTimeoutSecs,
                "1..600");
        logTimeoutSecs = logTimeoutSecs == null ? 30 : logTimeoutSecs;
        require(logTimeoutSecs >= 1 && logTimeoutSecs <= 3600, "registry.log_timeout_secs", logTimeoutSecs, "1..3600");
        maxPageBytes = maxPageBytes == null ? 16L * 1024 * 1024 : maxPageBytes;
        require(
                maxPageBytes >= 1024 && maxPageBytes <= 1L << 30,
                "registry.max_page_bytes",
                maxPageBytes,
                "1024..1073741824");
        maxPagesPerPull = maxPagesPerPull == null ? 1000 : maxPagesPerPull;
        require(
                maxPagesPerPull >= 1 && maxPagesPerPull <= 1_000_000,
                "registry.max_pages_per_pull",
                maxPagesPerPull,
                "1..1000000");
        pushLookbackDays = pushLookbackDays == null ? 3 : pushLookbackDays;
        require(
                pushLookbackDays >= 0 && pushLookbackDays <= 366,
                "registry.push_lookback_days",
                pushLookbackDays,
                "0..366");
        analysisModel = analysisModel == null ? "" : analysisModel.trim();
        analysisSampleChars = analysisSampleChars == null ? 24_000 : analysisSampleChars;
        require(
                analysisSampleChars >= 0 && analysisSampleChars <= 1_000_000,
                "registry.analysis_sample_chars",
                analysisSampleChars,
                "0..1000000");
        analysisMaxTokens = analysisMaxTokens == null ? 1500 : analysisMaxTokens;
        require(
                analysisMaxTokens >= 100 && analysisMaxTokens <= 32_000,
                "registry.analysis_max_tokens",
                analysisMaxTokens,
                "100..32000");
        sensorBucket = sensorBucket == null ? "" : sensorBucket.trim();
        sensorRegion = sensorRegion == null ? "" : sensorRegion.trim();
        sensorPrefix = sensorPrefix == null ? "" : sensorPrefix.trim();
        secretKeyFile = secretKeyFile == null ? "" : secretKeyFile.trim();
        legacyHttpPort = legacyHttpPort == null ? 80 : legacyHttpPort;
        require(
                legacyHttpPort >= 1 && legacyHttpPort <= 65535,
                "registry.legacy_http_port",
                legacyHttpPort,
                "1..65535");
    }

    public static RegistryConfig defaults() {
        return new RegistryConfig(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null, null, null, null);
    }

    private static int interval(Integer secs, int dflt, String key) {
        int v = secs == null ? dflt : secs;
        return require(v >= 1 && v <= 7 * 86_400, key, v, "1..604800 seconds");
    }

    public Duration healthThreshold() {
        return Duration.ofMinutes(healthThresholdMinutes);
    }

    public Duration analysisPeriod() {
        return Duration.ofHours(analysisIntervalHours);
    }
}
