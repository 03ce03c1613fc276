package io.rustbucket.core.sql;

/** The database cannot be reached (connection refused, timed out, pool exhausted); retry later. */
public final class DatabaseUnavailableException extends DatabaseException {
    public DatabaseUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
