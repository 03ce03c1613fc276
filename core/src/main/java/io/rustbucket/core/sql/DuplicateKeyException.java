package io.rustbucket.core.sql;

/** A unique constraint refused a row: the thing being created exists already. */
public final class DuplicateKeyException extends DatabaseException {
    public DuplicateKeyException(String message, Throwable cause) {
        super(message, cause);
    }
}
