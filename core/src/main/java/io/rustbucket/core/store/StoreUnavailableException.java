package io.rustbucket.core.store;

/** The store could not be reached or failed after retries; the operation may be retried later. */
public final class StoreUnavailableException extends StoreException {
    public StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
