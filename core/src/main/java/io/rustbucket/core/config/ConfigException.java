package io.rustbucket.core.config;

/**
 * A configuration value that cannot be used. The message is one line that names the key, the bad value and what
 * is allowed, so the launcher can print it as it is and exit.
 */
public final class ConfigException extends RuntimeException {
    private final String key;

    public ConfigException(String key, String message) {
        super(message);
        this.key = key;
    }

    /** Builds the standard message: {@code key = value: expected ...}. */
    public static ConfigException invalid(String key, Object value, String allowed) {
        return new ConfigException(key, key + " = " + render(value) + ": expected " + allowed);
    }

    /** Throws {@link #invalid} unless the condition holds; returns the value for chaining in record constructors. */
    public static <T> T require(boolean condition, String key, T value, String allowed) {
        if (!condition) {
            throw invalid(key, value, allowed);
        }
        return value;
    }

    public String key() {
        return key;
    }

    /** Returns a copy whose message starts with the source (file name or "environment"). */
    public ConfigException from(String source) {
        return new ConfigException(key, source + ": " + getMessage());
    }

    private static String render(Object value) {
        return value instanceof String s ? '"' + s + '"' : String.valueOf(value);
    }
}
