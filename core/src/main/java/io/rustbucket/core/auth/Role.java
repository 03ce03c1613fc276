package io.rustbucket.core.auth;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a user may do, from most to least: admin manages, analyst investigates, viewer reads. */
public enum Role {
    ADMIN,
    ANALYST,
    VIEWER;

    /** Tells whether this role has at least the powers of {@code required}. */
    public boolean includes(Role required) {
        return ordinal() <= required.ordinal();
    }

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Role parse(String id) {
        try {
            return valueOf(id.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown role '" + id + "'; expected admin, analyst or viewer");
        }
    }
}
