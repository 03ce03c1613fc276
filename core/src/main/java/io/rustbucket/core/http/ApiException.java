package io.rustbucket.core.http;

import java.time.Duration;
import java.util.Map;

/**
 * Thrown by handlers and services to answer with a problem document; mapped once by {@link HttpServerKit}. The
 * message is shown to the client, so it never carries internal detail.
 */
public final class ApiException extends RuntimeException {
    private final ProblemCode problem;
    private final Map<String, Object> details;
    private final Duration retryAfter;

    public ApiException(ProblemCode problem, String message) {
        this(problem, message, Map.of(), null);
    }

    public ApiException(ProblemCode problem, String message, Map<String, Object> details, Duration retryAfter) {
        super(message);
        this.problem = problem;
        this.details = Map.copyOf(details);
        this.retryAfter = retryAfter;
    }

    public static ApiException validation(String message) {
        return new ApiException(ProblemCode.VALIDATION, message);
    }

    public static ApiException notFound(String what) {
        return new ApiException(ProblemCode.NOT_FOUND, what + " not found");
    }

    public static ApiException forbidden(String message) {
        return new ApiException(ProblemCode.FORBIDDEN, message);
    }

    public static ApiException rateLimited(Duration retryAfter) {
        return new ApiException(ProblemCode.RATE_LIMITED, "too many requests; retry later", Map.of(), retryAfter);
    }

    public static ApiException unavailable(String message, Duration retryAfter) {
        return new ApiException(ProblemCode.UNAVAILABLE, message, Map.of(), retryAfter);
    }

    public ProblemCode problem() {
        return problem;
    }

    public Map<String, Object> details() {
        return details;
    }

    /** The delay for a {@code Retry-After} header, or null when the answer has none. */
    public Duration retryAfter() {
        return retryAfter;
    }
}
