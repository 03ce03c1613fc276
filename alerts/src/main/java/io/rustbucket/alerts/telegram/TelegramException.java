package io.rustbucket.alerts.telegram;

import java.time.Duration;

/** A Bot API call that failed; never carries the bot token (it is part of every request URL). */
public final class TelegramException extends RuntimeException {
    /** Why: the bot must slow down, the request was refused for good, or Telegram could not be reached. */
    public enum Kind {
        RATE_LIMITED,
        REJECTED,
        UNAVAILABLE
    }

    private final Kind kind;
    private final Duration retryAfter;

    public TelegramException(Kind kind, String message, Duration retryAfter) {
        super(message);
        this.kind = kind;
        this.retryAfter = retryAfter;
    }

    public Kind kind() {
        return kind;
    }

    /** Telegram's {@code retry_after} for {@link Kind#RATE_LIMITED}, else null. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
