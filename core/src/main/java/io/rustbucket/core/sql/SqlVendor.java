package io.rustbucket.core.sql;

import io.rustbucket.core.config.ConfigException;
import java.util.Map;

/**
 * The databases Rustbucket runs on. Migrations are written once with these placeholders where DDL differs:
 * {@code ${ts}} timestamp with millis (UTC), {@code ${text}} unbounded text, {@code ${blob}} bytes,
 * {@code ${bool}} boolean, {@code ${table}} options after a CREATE TABLE's closing parenthesis.
 */
public enum SqlVendor {
    H2("h2", Map.of("ts", "TIMESTAMP(3)", "text", "CLOB", "blob", "BLOB", "bool", "BOOLEAN", "table", "")),
    POSTGRESQL(
            "postgresql",
            Map.of("ts", "TIMESTAMP(3)", "text", "TEXT", "blob", "BYTEA", "bool", "BOOLEAN", "table", "")),
    // utf8mb4 with a binary collation: every Unicode character (attackers send emoji) and PostgreSQL-like
    // case-sensitive comparisons, whatever the server's defaults.
    MYSQL(
            "mysql",
            Map.of(
                    "ts", "DATETIME(3)",
                    "text", "LONGTEXT",
                    "blob", "LONGBLOB",
                    "bool", "BOOLEAN",
                    "table", " DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin"));

    private final String folder;
    private final Map<String, String> placeholders;

    SqlVendor(String folder, Map<String, String> placeholders) {
        this.folder = folder;
        this.placeholders = placeholders;
    }

    /** The name of the vendor-specific migration folder ({@code db/{module}/{folder}}). */
    public String folder() {
        return folder;
    }

    public Map<String, String> placeholders() {
        return placeholders;
    }

    public static SqlVendor of(String jdbcUrl) {
        if (jdbcUrl.startsWith("jdbc:h2:")) {
            return H2;
        }
        if (jdbcUrl.startsWith("jdbc:postgresql:")) {
            return POSTGRESQL;
        }
        if (jdbcUrl.startsWith("jdbc:mysql:") || jdbcUrl.startsWith("jdbc:mariadb:")) {
            return MYSQL;
        }
        throw ConfigException.invalid(
                "database.url", redact(jdbcUrl), "jdbc:h2:, jdbc:postgresql:, jdbc:mysql: or jdbc:mariadb:");
    }

    /** Removes a password from a JDBC URL so it can be logged. */
    public static String redact(String url) {
        return url.replaceAll("(?i)(password=)[^&;]*", "$1***").replaceAll("//([^/:@]+):([^@/]+)@", "//$1:***@");
    }
}
