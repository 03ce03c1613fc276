package io.rustbucket.app.chat;

import io.rustbucket.bucketchat.client.BucketChatClient;
import io.rustbucket.bucketchat.client.RoomState;
import io.rustbucket.bucketchat.client.RoomVerification;
import io.rustbucket.bucketchat.client.VerifiedEvent;
import io.rustbucket.bucketchat.event.EventTypes;
import io.rustbucket.core.store.ObjectStore;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bucketchat history ROOM}: the messages of a room, edits applied and redactions hidden for authentic
 * events, each with its trust badge; messages that are not authentic are shown flagged, never silently.
 */
@Command(
        name = "history",
        mixinStandardHelpOptions = true,
        description = "Show a room's messages with a trust badge each.")
final class ChatHistoryCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    BucketChatCommand chat;

    @Parameters(paramLabel = "ROOM")
    String room;

    @Option(names = "--limit", defaultValue = "50", description = "the last N messages (default: ${DEFAULT-VALUE})")
    int limit;

    @Override
    public Integer call() {
        if (limit < 1) {
            throw new IllegalArgumentException("--limit must be at least 1");
        }
        try (ObjectStore s = chat.openStore();
                BucketChatClient c = chat.open(s, room)) {
            RoomVerification v = c.verify(Map.of());
            Map<String, RoomState.VisibleMessage> visible =
                    v.state().messages().stream().collect(Collectors.toMap(RoomState.VisibleMessage::eventId, m -> m));
            // Authentic messages as the room rules leave them; others shown flagged, never hidden.
            List<VerifiedEvent> messages = v.timeline().stream()
                    .filter(e -> e.type().equals(EventTypes.MESSAGE))
                    .filter(e -> visible.containsKey(e.eventId()) || !e.authentic())
                    .toList();
            for (VerifiedEvent e : messages.subList(Math.max(0, messages.size() - limit), messages.size())) {
                RoomState.VisibleMessage m = visible.get(e.eventId());
                String body = m == null ? e.body() : shown(m);
                System.out.println(ChatPrinter.line(e.timestampMs(), e.senderId(), e.eventId(), e.signature(), body));
            }
            if (!v.clean()) {
                System.out.println("! this room has unverified, invalid or malformed events: run 'bucketchat verify "
                        + room + "'");
            }
        }
        return 0;
    }

    private static String shown(RoomState.VisibleMessage m) {
        String reactions = m.reactions().entrySet().stream()
                .map(e -> e.getKey() + "×" + e.getValue().size())
                .collect(Collectors.joining(" "));
        return m.body() + (m.edited() ? " (edited)" : "") + (reactions.isEmpty() ? "" : " " + reactions);
    }
}
