package io.rustbucket.core.llm;

import java.time.Duration;

/**
 * A model call that failed. The message is for logs and operators; it is never shown to an attacker (the sensor
 * answers with its fallback instead).
 */
public final class LlmException extends RuntimeException {
    public enum Kind {
        /** The provider answered 429; {@link #retryAfter()} says when to try again if it said. */
        RATE_LIMITED,
        /** The provider answered an error status or an error event. */
        UPSTREAM,
        /** The deadline passed before the answer ended. */
        TIMEOUT,
        /** The caller cancelled. */
        CANCELLED,
        /** The provider's bytes did not follow its own format. */
        PROTOCOL,
        /** The provider could not be reached. */
        UNAVAILABLE,
        /** The caller or model is at its concurrency limit. */
        BUSY,
        /** No model of that name is configured. */
        UNKNOWN_MODEL
    }

    private final Kind kind;
    private final int status;
    private final Duration retryAfter;
    private final String partialText;

    public LlmException(
            Kind kind, String message, int status, Duration retryAfter, String partialText, Throwable cause) {
        super(message, cause);
        this.kind = kind;
        this.status = status;
        this.retryAfter = retryAfter;
        this.partialText = partialText == null ? "" : partialText;
    }

    public LlmException(Kind kind, String message) {
        this(kind, message, 0, null, "", null);
    }

    public Kind kind() {
        return kind;
    }

    /** HTTP status of an upstream error, 0 when there was none. */
    public int status() {
        return status;
    }

    public Duration retryAfter() {
        return retryAfter;
    }

    /** Text streamed before the failure. */
    public String partialText() {
        return partialText;
    }

    LlmException withPartial(String text) {
        return new LlmException(kind, getMessage(), status, retryAfter, text, getCause());
    }
}
