package io.rustbucket.bucketchat.event;

import java.util.Set;

/** The event types the protocol defines. Others are kept, verified and shown as unsupported. */
public final class EventTypes {
    public static final String MESSAGE = "m.room.message";
    public static final String MEMBER = "m.room.member";
    public static final String EDIT = "m.room.edit";
    public static final String REDACTION = "m.room.redaction";
    public static final String REACTION = "m.room.reaction";
    /** Ephemeral: never written to the bucket. */
    public static final String TYPING = "m.room.typing";

    public static final Set<String> STORED = Set.of(MESSAGE, MEMBER, EDIT, REDACTION, REACTION);
    public static final Set<String> MEMBERSHIPS = Set.of("join", "leave", "invite", "ban", "kick");

    private EventTypes() {}
}
