package io.rustbucket.core.store;

/** Root of every object-store failure; callers catch the subtypes they can act on. */
public class StoreException extends RuntimeException {
    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
