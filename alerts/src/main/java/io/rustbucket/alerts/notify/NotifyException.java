package io.rustbucket.alerts.notify;

import java.time.Duration;

/**
 * A notice that did not go out.
 *
 * @see #permanent() the receiver refused it for good (bad address, 4xx): retrying will not help
 */
public final class NotifyException extends RuntimeException {
    private final boolean permanent;
    private final Duration retryAfter;

    public NotifyException(String message, boolean permanent, Duration retryAfter, Throwable cause) {
        super(message, cause);
        this.permanent = permanent;
        this.retryAfter = retryAfter;
    }

    public boolean permanent() {
        return permanent;
    }

    /** How long the receiver asked us to wait, or null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
