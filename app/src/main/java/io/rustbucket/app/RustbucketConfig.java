package io.rustbucket.app;

import io.rustbucket.core.auth.AuthConfig;
import io.rustbucket.core.config.ConfigLoader;
import io.rustbucket.core.config.ConfigLoader.EnvOverride;
import io.rustbucket.core.config.PlatformSettings;
import io.rustbucket.core.http.HttpLimits;
import io.rustbucket.core.llm.LlmConfig;
import io.rustbucket.core.sql.DatabaseConfig;
import io.rustbucket.core.store.StoreConfig;
import io.rustbucket.logs.LogsConfig;
import io.rustbucket.registry.RegistryConfig;
import io.rustbucket.sensor.SensorConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The whole of {@code rustbucket.toml}: one table per part. Every key is validated by the record that owns it;
 * an unknown key anywhere stops start-up.
 */
public record RustbucketConfig(
        PlatformSettings platform,
        DatabaseConfig database,
        StoreConfig store,
        HttpLimits http,
        AuthConfig auth,
        LlmConfig llm,
        LogsConfig logs,
        SensorConfig sensor,
        RegistryConfig registry,
        io.rustbucket.alerts.AlertsConfig alerts,
        io.rustbucket.assistant.AssistantConfig assistant) {
    public static final String DEFAULT_FILE = "rustbucket.toml";

    /** Environment variables that override keys (documented in the README). */
    public static final List<EnvOverride> ENV = List.of(
            new EnvOverride("RUSTBUCKET_HOST", "platform.host"),
            new EnvOverride("RUSTBUCKET_PORT", "platform.port"),
            new EnvOverride("RUSTBUCKET_DATA_DIR", "platform.data_dir"),
            new EnvOverride("RUSTBUCKET_PUBLIC_URL", "platform.public_url"),
            new EnvOverride("RUSTBUCKET_DATABASE_URL", "database.url"),
            new EnvOverride("RUSTBUCKET_DATABASE_USERNAME", "database.username"),
            new EnvOverride("RUSTBUCKET_DATABASE_PASSWORD", "database.password"),
            new EnvOverride("RUSTBUCKET_STORE_KIND", "store.kind"),
            new EnvOverride("RUSTBUCKET_STORE_FOLDER", "store.folder"),
            new EnvOverride("RUSTBUCKET_S3_BUCKET", "store.s3.bucket"),
            new EnvOverride("RUSTBUCKET_S3_REGION", "store.s3.region"),
            new EnvOverride("RUSTBUCKET_S3_ENDPOINT", "store.s3.endpoint"),
            new EnvOverride("RUSTBUCKET_S3_PATH_STYLE", "store.s3.path_style"),
            new EnvOverride("RUSTBUCKET_S3_PREFIX", "store.s3.prefix"),
            new EnvOverride("RUSTBUCKET_S3_ACCESS_KEY_ID", "store.s3.access_key_id"),
            new EnvOverride("RUSTBUCKET_S3_SECRET_ACCESS_KEY", "store.s3.secret_access_key"),
            new EnvOverride("RUSTBUCKET_SECURE_COOKIES", "auth.secure_cookies"),
            new EnvOverride("RUSTBUCKET_LLM_DEFAULT_MODEL", "llm.default_model"),
            new EnvOverride("RUSTBUCKET_LOGS_RETENTION_DAYS", "logs.retention_days"),
            new EnvOverride("RUSTBUCKET_LOGS_QUEUE", "logs.queue"),
            new EnvOverride("RUSTBUCKET_LOGS_REDIS_URL", "logs.redis.url"),
            new EnvOverride("RUSTBUCKET_LOGS_BACKEND", "logs.backend"),
            new EnvOverride("RUSTBUCKET_OPENSEARCH_URL", "logs.opensearch.url"),
            new EnvOverride("RUSTBUCKET_OPENSEARCH_USERNAME", "logs.opensearch.username"),
            new EnvOverride("RUSTBUCKET_OPENSEARCH_PASSWORD", "logs.opensearch.password"),
            // The registry schedule's variables, as the spec names them (specs/registry-protocol.md).
            new EnvOverride("SCHEDULER_PULL_UPDATES_INTERVAL", "registry.pull_updates_secs"),
            new EnvOverride("SCHEDULER_EXTRACT_LOGS_INTERVAL", "registry.pull_logs_secs"),
            new EnvOverride("SCHEDULER_HEALTH_CHECK_INTERVAL", "registry.health_secs"),
            new EnvOverride("HEALTH_CHECK_THRESHOLD_MINUTES", "registry.health_threshold_minutes"),
            new EnvOverride("SCHEDULER_PARSE_LOGS_INTERVAL", "registry.parse_secs"),
            new EnvOverride("SCHEDULER_ANALYZE_LOGS_INTERVAL", "registry.analyze_secs"),
            new EnvOverride("LOG_ANALYSIS_INTERVAL_HOURS", "registry.analysis_interval_hours"),
            new EnvOverride("RUSTBUCKET_ALERTS_SMTP_PASSWORD", "alerts.email.password"),
            new EnvOverride("RUSTBUCKET_ALERTS_TELEGRAM_TOKEN", "alerts.telegram.bot_token"),
            new EnvOverride("RUSTBUCKET_ALERTS_WEBHOOK_SECRET", "alerts.webhook.secret"),
            new EnvOverride("RUSTBUCKET_GITHUB_CLIENT_SECRET", "assistant.github.client_secret"),
            new EnvOverride("RUSTBUCKET_APPLE_PRIVATE_KEY", "assistant.apple.private_key"));

    public RustbucketConfig {
        platform = platform == null ? PlatformSettings.defaults() : platform;
        database = database == null ? DatabaseConfig.defaults() : database;
        store = store == null ? StoreConfig.defaults() : store;
        http = http == null ? HttpLimits.defaults() : http;
        auth = auth == null ? AuthConfig.defaults() : auth;
        llm = llm == null ? LlmConfig.defaults() : llm;
        logs = logs == null ? LogsConfig.defaults() : logs;
        sensor = sensor == null ? SensorConfig.defaults() : sensor;
        registry = registry == null ? RegistryConfig.defaults() : registry;
        alerts = alerts == null ? io.rustbucket.alerts.AlertsConfig.defaults() : alerts;
        assistant = assistant == null ? io.rustbucket.assistant.AssistantConfig.defaults() : assistant;
    }

    /**
     * Loads the configuration: the given file, else {@code $RUSTBUCKET_CONFIG}, else {@code ./rustbucket.toml} when
     * it exists, else built-in defaults; then environment overrides; then command-line values.
     */
    public static RustbucketConfig load(Path file, Map<String, String> env, Map<String, String> sets) {
        Optional<Path> chosen = Optional.ofNullable(file)
                .or(() -> Optional.ofNullable(env.get("RUSTBUCKET_CONFIG"))
                        .filter(s -> !s.isBlank())
                        .map(Path::of))
                .or(() -> Optional.of(Path.of(DEFAULT_FILE)).filter(Files::isRegularFile));
        return ConfigLoader.load(RustbucketConfig.class, chosen, env, ENV, sets);
    }
}
