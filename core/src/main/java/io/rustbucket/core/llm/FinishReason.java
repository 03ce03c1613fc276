package io.rustbucket.core.llm;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** Why a generation ended, in the vocabulary of the assistant's {@code message.done} event. */
public enum FinishReason {
    STOP,
    LENGTH,
    CANCELLED,
    TIMEOUT,
    ERROR;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }
}
