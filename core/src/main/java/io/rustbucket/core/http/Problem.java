package io.rustbucket.core.http;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;

/** An RFC 9457 problem document with the platform's stable {@code code}. */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, String code, String message, Map<String, Object> details) {
    public static final String CONTENT_TYPE = "application/problem+json";

    public static Problem of(ProblemCode code, String message, Map<String, Object> details) {
        return new Problem("about:blank", code.title(), code.status(), code.code(), message, details);
    }
}
