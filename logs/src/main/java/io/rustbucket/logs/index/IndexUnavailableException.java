package io.rustbucket.logs.index;

/** The backend cannot take writes or answer now; the queue keeps the events and retries. */
public final class IndexUnavailableException extends RuntimeException {
    public IndexUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
