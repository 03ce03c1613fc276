package io.rustbucket.core.sql;

import static io.rustbucket.core.config.ConfigException.require;

import java.nio.file.Path;
import java.time.Duration;

/**
 * The {@code [database]} table.
 *
 * @param url JDBC URL ({@code jdbc:postgresql:}, {@code jdbc:mysql:}, {@code jdbc:mariadb:}, {@code jdbc:h2:});
 *     empty = an H2 file database under the data directory
 * @param poolSize connections in the pool; a burst of requests waits for one instead of overloading the server
 * @param connectTimeoutSecs how long start-up and each request wait for a connection before failing
 */
public record DatabaseConfig(
        String url, String username, String password, Integer poolSize, Integer connectTimeoutSecs) {
    public DatabaseConfig {
        url = url == null ? "" : url.trim();
        require(url.isEmpty() || url.startsWith("jdbc:"), "database.url", url, "a JDBC URL starting with jdbc:");
        if (!url.isEmpty()) {
            SqlVendor.of(url); // fails on an unsupported database
        }
        username = username == null ? "" : username;
        password = password == null ? "" : password;
        poolSize = poolSize == null ? 10 : poolSize;
        require(poolSize >= 1 && poolSize <= 200, "database.pool_size", poolSize, "1..200");
        connectTimeoutSecs = connectTimeoutSecs == null ? 10 : connectTimeoutSecs;
        require(
                connectTimeoutSecs >= 1 && connectTimeoutSecs <= 300,
                "database.connect_timeout_secs",
                connectTimeoutSecs,
                "1..300");
    }

    public static DatabaseConfig defaults() {
        return new DatabaseConfig(null, null, null, null, null);
    }

    /** The JDBC URL to use: the configured one, or the embedded H2 file under {@code dataDir/db}. */
    public String effectiveUrl(Path dataDir) {
        if (!url.isEmpty()) {
            return url;
        }
        return "jdbc:h2:file:" + dataDir.resolve("db").resolve("rustbucket").toAbsolutePath()
                + ";DB_CLOSE_ON_EXIT=FALSE;LOCK_TIMEOUT=10000";
    }

    public Duration connectTimeout() {
        return Duration.ofSeconds(connectTimeoutSecs);
    }

    @Override
    public String toString() {
        return "DatabaseConfig[url=" + SqlVendor.redact(url) + ", username=" + username + ", poolSize=" + poolSize
                + "]";
    }
}
