package io.rustbucket.alerts.spam;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What happens to a message judged spam. */
public enum SpamAction {
    /** Ham, or a privileged sender. */
    NONE,
    /** Logged and reported to the admin chat; the message stays (dry run). */
    REPORT,
    /** Leave the message and answer it in the group with a warning to its sender. */
    WARN,
    DELETE,
    /** Delete and mute the sender (soft ban). */
    RESTRICT,
    /** Delete and remove the sender from the group. */
    BAN;

    @JsonValue
    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    @JsonCreator
    public static SpamAction parse(String id) {
        try {
            return valueOf(id.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException | NullPointerException e) {
            throw new IllegalArgumentException(
                    "unknown action '" + id + "'; expected none, report, warn, delete, restrict or ban");
        }
    }
}
