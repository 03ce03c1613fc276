package io.rustbucket.core.auth;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What a bearer API token may do, whatever its owner may: tokens get the least power their job needs. */
public enum Scope {
    /** Everything the owning user may do. */
    ADMIN,
    /** Only send events to the ingest API. */
    INGEST,
    /** Only read (viewer powers). */
    READ;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static Scope parse(String id) {
        try {
            return valueOf(id.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException("unknown scope '" + id + "'; expected admin, ingest or read");
        }
    }
}
