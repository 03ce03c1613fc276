package io.rustbucket.core.sql;

/** Root of database failures that callers may act on; anything else is a bug and surfaces as is. */
public class DatabaseException extends RuntimeException {
    public DatabaseException(String message, Throwable cause) {
        super(message, cause);
    }
}
