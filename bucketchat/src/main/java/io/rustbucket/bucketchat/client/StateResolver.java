package io.rustbucket.bucketchat.client;

import io.rustbucket.bucketchat.event.ChatEvent;
import io.rustbucket.bucketchat.event.EventTypes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The room rules of the protocol, applied to authentic events in {@code (timestamp_ms, event_id)} order:
 * membership is the last member event about a user; an edit counts only from the original sender, never on an
 * edit, latest wins; a redaction counts from the original sender or a room admin and hides the target with
 * its edits and reactions; reactions count once per (target, reaction, sender).
 */
public final class StateResolver {
    public static final Comparator<ChatEvent> ORDER =
            Comparator.comparingLong(ChatEvent::timestampMs).thenComparing(ChatEvent::eventId);

    private StateResolver() {}

    public static RoomState resolve(List<ChatEvent> authentic, Set<String> admins) {
        List<ChatEvent> events = new ArrayList<>(authentic);
        events.sort(ORDER);
        Map<String, ChatEvent> byId = new HashMap<>();
        events.forEach(e -> byId.put(e.eventId(), e));

        // Redactions first: they may hide an edit, a reaction or a member event that comes before them.
        Set<String> redacted = new HashSet<>();
        for (ChatEvent e : events) {
            if (e.type().equals(EventTypes.REDACTION)) {
                ChatEvent target = byId.get(e.text("redacts"));
                if (target != null && (target.senderId().equals(e.senderId()) || admins.contains(e.senderId()))) {
                    redacted.add(target.eventId());
                }
            }
        }
        Map<String, String> members = new TreeMap<>();
        Map<String, String> latestEdit = new HashMap<>();
        Map<String, Map<String, Set<String>>> reactions = new HashMap<>();
        for (ChatEvent e : events) {
            if (redacted.contains(e.eventId())) {
                continue;
            }
            switch (e.type()) {
                case EventTypes.MEMBER -> {
                    String membership = e.text("membership");
                    if (EventTypes.MEMBERSHIPS.contains(membership)) {
                        String target = e.text("target").isEmpty() ? e.senderId() : e.text("target");
                        members.put(target, membership);
                    }
                }
                case EventTypes.EDIT -> {
                    ChatEvent target = byId.get(e.text("replaces"));
                    if (target != null
                            && !target.type().equals(EventTypes.EDIT)
                            && target.senderId().equals(e.senderId())
                            && e.content().path("new_content").isObject()) {
                        latestEdit.put(target.eventId(), e.eventId());
                    }
                }
                case EventTypes.REACTION -> {
                    String target = e.text("relates_to");
                    String reaction = e.text("reaction");
                    if (byId.containsKey(target) && !reaction.isEmpty()) {
                        reactions
                                .computeIfAbsent(target, k -> new TreeMap<>())
                                .computeIfAbsent(reaction, k -> new java.util.TreeSet<>())
                                .add(e.senderId());
                    }
                }
                default -> {
                    // messages are collected below; redactions were applied above; unknown types change nothing
                }
            }
        }
        List<RoomState.VisibleMessage> visible = new ArrayList<>();
        for (ChatEvent e : events) {
            if (!e.type().equals(EventTypes.MESSAGE) || redacted.contains(e.eventId())) {
                continue;
            }
            String editId = latestEdit.get(e.eventId());
            String body = editId != null
                    ? byId.get(editId)
                            .content()
                            .path("new_content")
                            .path("body")
                            .asText("")
                    : e.text("body");
            Map<String, List<String>> r = new LinkedHashMap<>();
            reactions.getOrDefault(e.eventId(), Map.of()).forEach((k, v) -> r.put(k, List.copyOf(v)));
            visible.add(new RoomState.VisibleMessage(
                    e.eventId(), e.senderId(), e.timestampMs(), body, editId != null, e.parentEventId(), r));
        }
        return new RoomState(members, visible);
    }
}
