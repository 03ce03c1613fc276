package io.rustbucket.assistant;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** A participant's role in one conversation, most powerful first. */
public enum ConversationRole {
    OWNER,
    ADMIN,
    MEMBER,
    VIEWER;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** True when this role has at least the powers of {@code other}. */
    public boolean atLeast(ConversationRole other) {
        return ordinal() <= other.ordinal();
    }

    @JsonCreator
    public static ConversationRole parse(String s) {
        try {
            return valueOf(s.strip().toUpperCase(Locale.ROOT));
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("role must be owner, admin, member or viewer");
        }
    }
}
