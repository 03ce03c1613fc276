package io.rustbucket.bucketchat.client;

import java.util.List;
import java.util.Map;

/**
 * A room resolved from its authentic events only.
 *
 * @param members membership of each user (the last member event about them)
 * @param messages visible messages in order, with edits applied and reactions counted
 */
public record RoomState(Map<String, String> members, List<VisibleMessage> messages) {
    /** A message as a reader sees it. */
    public record VisibleMessage(
            String eventId,
            String senderId,
            long timestampMs,
            String body,
            boolean edited,
            String replyTo,
            Map<String, List<String>> reactions) {}
}
