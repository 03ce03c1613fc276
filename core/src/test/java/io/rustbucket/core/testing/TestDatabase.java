package io.rustbucket.core.testing;

import io.rustbucket.core.sql.DatabaseConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;

/**
 * A fresh, empty database for one test class: an H2 file in a temp folder, or a new database created on the
 * PostgreSQL / MariaDB server whose URL is in the environment (dropped again on close).
 */
public final class TestDatabase implements AutoCloseable {
    public static final String POSTGRES_URL = "RUSTBUCKET_TEST_POSTGRES_URL";
    public static final String MYSQL_URL = "RUSTBUCKET_TEST_MYSQL_URL";

    private final DatabaseConfig config;
    private final String serverUrl;
    private final String dropSql;

    private TestDatabase(DatabaseConfig config, String serverUrl, String dropSql) {
        this.config = config;
        this.serverUrl = serverUrl;
        this.dropSql = dropSql;
    }

    public static TestDatabase h2() {
        try {
            Path dir = Files.createTempDirectory("rb-h2");
            return new TestDatabase(
                    new DatabaseConfig("jdbc:h2:file:" + dir.resolve("test") + ";DB_CLOSE_ON_EXIT=FALSE", "", "", 5, 5),
                    null,
                    null);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** A new database on the PostgreSQL server of {@value #POSTGRES_URL}; skipped (or failed in CI) if unset. */
    public static TestDatabase postgres() {
        String url = TestEnv.require(POSTGRES_URL, "PostgreSQL");
        String name = "rbt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(url, "CREATE DATABASE " + name);
        return new TestDatabase(
                new DatabaseConfig(withDatabase(url, name), "", "", 5, 5), url, "DROP DATABASE IF EXISTS " + name);
    }

    /** A new utf8mb4 database on the MariaDB/MySQL server of {@value #MYSQL_URL}. */
    public static TestDatabase mysql() {
        String url = TestEnv.require(MYSQL_URL, "MariaDB/MySQL");
        String name = "rbt_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        execute(url, "CREATE DATABASE " + name + " CHARACTER SET utf8mb4 COLLATE utf8mb4_bin");
        return new TestDatabase(
                new DatabaseConfig(withDatabase(url, name), "", "", 5, 5), url, "DROP DATABASE IF EXISTS " + name);
    }

    public DatabaseConfig config() {
        return config;
    }

    @Override
    public void close() {
        if (dropSql != null) {
            execute(serverUrl, dropSql);
        }
    }

    /** Replaces the database name in a JDBC URL ({@code jdbc:x://host:port/NAME?params}). */
    static String withDatabase(String url, String name) {
        return url.replaceFirst("^(jdbc:[a-z]+://[^/?]+)(/[^?;]*)?", "$1/" + name);
    }

    private static void execute(String url, String sql) {
        String u = url.startsWith("jdbc:mysql:") && !url.contains("permitMysqlScheme")
                ? url + (url.contains("?") ? "&" : "?") + "permitMysqlScheme"
                : url;
        try (Connection c = DriverManager.getConnection(u, new Properties());
                Statement s = c.createStatement()) {
            s.execute(sql);
        } catch (SQLException e) {
            throw new IllegalStateException("test database setup failed: " + sql + ": " + e.getMessage(), e);
        }
    }
}
