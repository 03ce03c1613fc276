package io.rustbucket.alerts.spam;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** When a group asks the model, and what its answer may change. */
public enum LlmMode {
    /** Never asked. */
    OFF,
    /** Asked when the cheaper layers say spam; a confident "not spam" clears the message. */
    VETO,
    /** Asked when the cheaper layers let a message through; a confident "spam" flags it. */
    SECOND_OPINION,
    /** Asked for every message that reaches it; its confident answer decides. */
    DECIDE;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static LlmMode parse(String id) {
        try {
            return valueOf(id.trim().toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "unknown llm_mode '" + id + "'; expected off, veto, second_opinion or decide");
        }
    }
}
