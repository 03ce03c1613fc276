package io.rustbucket.bucketchat.client;

import io.rustbucket.bucketchat.event.EventTypes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The room rules of the protocol, applied to authentic events in {@code (timestamp_ms, event_id)} order:
 * membership is the last member event about a user; an edit counts only from the original sender, never on an
 * edit, latest wins; a redaction counts from the original sender or a room admin and hides the target with its
 * edits and reactions; reactions count once per (target, reaction, sender).
 */
public final class StateResolver {
    private StateResolver() {}

    /** @param ordered authentic events in timeline order */
    public static RoomState resolve(List<VerifiedEvent> ordered, Set<String> admins) {
        Map<String, VerifiedEvent> byId = new HashMap<>(ordered.size() * 2);
        ordered.forEach(e -> byId.put(e.eventId(), e));
        // Redactions first: they may hide an edit, a reaction or a member event that comes before them.
        Set<String> redacted = new HashSet<>();
        for (VerifiedEvent e : ordered) {
            if (e.facts() instanceof EventFacts.Redaction r) {
                VerifiedEvent target = byId.get(r.redacts());
                if (target != null && (target.senderId().equals(e.senderId()) || admins.contains(e.senderId()))) {
                    redacted.add(target.eventId());
                }
            }
        }
        Map<String, String> members = new TreeMap<>();
        Map<String, EventFacts.Edit> latestEdit = new HashMap<>();
        Map<String, Map<String, Set<String>>> reactions = new HashMap<>();
        for (VerifiedEvent e : ordered) {
            if (redacted.contains(e.eventId())) {
                continue;
            }
            switch (e.facts()) {
                case EventFacts.Member m
                when EventTypes.MEMBERSHIPS.contains(m.membership()) ->
                    members.put(m.target() == null ? e.senderId() : m.target(), m.membership());
                case EventFacts.Edit edit -> {
                    VerifiedEvent target = byId.get(edit.replaces());
                    if (target != null
                            && !target.type().equals(EventTypes.EDIT)
                            && target.senderId().equals(e.senderId())) {
                        latestEdit.put(target.eventId(), edit);
                    }
                }
                case EventFacts.Reaction r
                when byId.containsKey(r.relatesTo()) && !r.reaction().isEmpty() ->
                    reactions
                            .computeIfAbsent(r.relatesTo(), k -> new TreeMap<>())
                            .computeIfAbsent(r.reaction(), k -> new TreeSet<>())
                            .add(e.senderId());
                case null, default -> {
                    // messages are collected below; unknown types change nothing
                }
            }
        }
        List<RoomState.VisibleMessage> visible = new ArrayList<>();
        for (VerifiedEvent e : ordered) {
            if (!(e.facts() instanceof EventFacts.Message m) || redacted.contains(e.eventId())) {
                continue;
            }
            EventFacts.Edit edit = latestEdit.get(e.eventId());
            Map<String, List<String>> r = Map.of();
            Map<String, Set<String>> rs = reactions.get(e.eventId());
            if (rs != null) {
                r = new LinkedHashMap<>();
                for (var entry : rs.entrySet()) {
                    r.put(entry.getKey(), List.copyOf(entry.getValue()));
                }
            }
            visible.add(new RoomState.VisibleMessage(
                    e.eventId(),
                    e.senderId(),
                    e.timestampMs(),
                    edit != null ? edit.body() : m.body(),
                    edit != null,
                    m.replyTo(),
                    r));
        }
        return new RoomState(members, visible);
    }
}
