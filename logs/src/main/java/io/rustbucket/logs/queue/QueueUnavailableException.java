package io.rustbucket.logs.queue;

/** The queue's server (Redis) cannot be reached; ingest answers 503 and the client retries. */
public final class QueueUnavailableException extends RuntimeException {
    public QueueUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
