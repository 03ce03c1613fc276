package io.rustbucket.app.chat;

import io.rustbucket.bucketchat.client.SignatureStatus;
import io.rustbucket.bucketchat.event.ChatEvent;
import io.rustbucket.bucketchat.event.EventTypes;
import java.time.Instant;
import java.time.format.DateTimeFormatter;

/** One line per event for the terminal, with a trust badge; every string from the bucket is made safe first. */
final class ChatPrinter {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(java.time.ZoneOffset.UTC);

    private ChatPrinter() {}

    static String badge(SignatureStatus s) {
        return switch (s) {
            case VALID -> "[verified]";
            case UNVERIFIED -> "[unverified]";
            case INVALID_SIGNATURE -> "[INVALID SIGNATURE]";
        };
    }

    static String line(ChatEvent e, SignatureStatus status, String shownBody) {
        String what = switch (e.type()) {
            case EventTypes.MESSAGE -> shownBody;
            case EventTypes.MEMBER ->
                "* " + e.text("membership") + (e.text("target").isEmpty() ? "" : " " + e.text("target"));
            case EventTypes.EDIT ->
                "* edited " + e.text("replaces") + ": "
                        + e.content().path("new_content").path("body").asText("");
            case EventTypes.REDACTION -> "* redacted " + e.text("redacts");
            case EventTypes.REACTION -> "* reacted " + e.text("reaction") + " to " + e.text("relates_to");
            default -> "* unsupported event type " + e.type();
        };
        return line(e.timestampMs(), e.senderId(), e.eventId(), status, what);
    }

    static String line(long timestampMs, String sender, String eventId, SignatureStatus status, String what) {
        return TIME.format(Instant.ofEpochMilli(timestampMs)) + " " + Terminal.safe(sender) + " " + badge(status) + ": "
                + Terminal.safe(what) + "  (" + Terminal.safe(eventId) + ")";
    }
}
