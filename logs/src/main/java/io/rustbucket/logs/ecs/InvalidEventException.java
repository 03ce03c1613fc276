package io.rustbucket.logs.ecs;

/** An item that cannot be indexed; the reason is returned to the client in the 400/207 answer. */
public final class InvalidEventException extends RuntimeException {
    public InvalidEventException(String reason) {
        super(reason);
    }
}
