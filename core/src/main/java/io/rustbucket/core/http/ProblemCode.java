package io.rustbucket.core.http;

/**
 * Stable error codes of every HTTP API ({@code application/problem+json} field {@code code}). The {@code RGP.}
 * family comes from the assistant contract and is used platform-wide so clients learn one set.
 */
public enum ProblemCode {
    VALIDATION("RGP.VALIDATION", 400, "Invalid request"),
    UNAUTHENTICATED("RGP.AUTH.UNAUTHENTICATED", 401, "Authentication required"),
    INVALID_CREDENTIALS("RGP.AUTH.INVALID_CREDENTIALS", 401, "Invalid credentials"),
    CSRF("RGP.AUTH.CSRF", 403, "CSRF token missing or invalid"),
    FORBIDDEN("RGP.RBAC.FORBIDDEN", 403, "Forbidden"),
    NOT_FOUND("RGP.NOT_FOUND", 404, "Not found"),
    METHOD_NOT_ALLOWED("RGP.METHOD_NOT_ALLOWED", 405, "Method not allowed"),
    CONFLICT("RGP.CONFLICT", 409, "Conflict"),
    PAYLOAD_TOO_LARGE("RGP.PAYLOAD_TOO_LARGE", 413, "Payload too large"),
    UNSUPPORTED_MEDIA_TYPE("RGP.UNSUPPORTED_MEDIA_TYPE", 415, "Unsupported media type"),
    RATE_LIMITED("RGP.RATE_LIMITED", 429, "Too many requests"),
    INTERNAL("RGP.INTERNAL", 500, "Internal error"),
    UNAVAILABLE("RGP.UNAVAILABLE", 503, "Service unavailable");

    private final String code;
    private final int status;
    private final String title;

    ProblemCode(String code, int status, String title) {
        this.code = code;
        this.status = status;
        this.title = title;
    }

    public String code() {
        return code;
    }

    public int status() {
        return status;
    }

    public String title() {
        return title;
    }
}
