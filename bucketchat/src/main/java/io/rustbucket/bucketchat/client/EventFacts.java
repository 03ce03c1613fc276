package io.rustbucket.bucketchat.client;

import io.rustbucket.bucketchat.event.ChatEvent;
import io.rustbucket.bucketchat.event.EventTypes;

/** The few content fields the room rules read, kept instead of the whole JSON content. */
public sealed interface EventFacts {
    record Message(String body, String replyTo) implements EventFacts {}

    record Member(String membership, String target) implements EventFacts {}

    record Edit(String replaces, String body) implements EventFacts {}

    record Redaction(String redacts) implements EventFacts {}

    record Reaction(String relatesTo, String reaction) implements EventFacts {}

    /** The facts of an event, or null for types the rules do not read (kept, verified, shown as unsupported). */
    static EventFacts of(ChatEvent e) {
        return switch (e.type()) {
            case EventTypes.MESSAGE -> new Message(e.text("body"), e.parentEventId());
            case EventTypes.MEMBER ->
                new Member(e.text("membership"), e.text("target").isEmpty() ? null : e.text("target"));
            case EventTypes.EDIT ->
                e.content().path("new_content").isObject()
                        ? new Edit(
                                e.text("replaces"),
                                e.content().path("new_content").path("body").asText(""))
                        : null;
            case EventTypes.REDACTION -> new Redaction(e.text("redacts"));
            case EventTypes.REACTION -> new Reaction(e.text("relates_to"), e.text("reaction"));
            default -> null;
        };
    }
}
