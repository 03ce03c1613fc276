package io.rustbucket.core.llm;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Who speaks a message in a model conversation. */
public enum LlmRole {
    SYSTEM,
    USER,
    ASSISTANT;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
