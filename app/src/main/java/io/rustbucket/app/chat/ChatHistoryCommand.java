package io.rustbucket.app.chat;

import io.rustbucket.bucketchat.client.BucketChatClient;
import io.rustbucket.bucketchat.client.RoomState;
import io.rustbucket.bucketchat.client.RoomVerification;
import io.rustbucket.bucketchat.event.EventTypes;
import io.rustbucket.bucketchat.storage.LoggedEvent;
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
            List<LoggedEvent> messages = v.timeline().stream()
                    .filter(l -> l.event().type().equals(EventTypes.MESSAGE))
                    .filter(l -> visible.containsKey(l.event().eventId())
                            || !v.authentic().contains(l.event().eventId()))
                    .toList();
            for (LoggedEvent l : messages.subList(Math.max(0, messages.size() - limit), messages.size())) {
                RoomState.VisibleMessage m = visible.get(l.event().eventId());
                String body = m == null
                        ? l.event().text("body")
                        : m.body()
                                + (m.edited() ? " (edited)" : "")
                                + (m.reactions().isEmpty()
                                        ? ""
                                        : " "
                                                + m.reactions().entrySet().stream()
                                                        .map(e -> e.getKey() + "×"
                                                                + e.getValue().size())
                                                        .collect(Collectors.joining(" ")));
                System.out.println(
                        ChatPrinter.line(l.event(), v.signatures().get(l.event().eventId()), body));
            }
            if (!v.clean()) {
                System.out.println("! this room has unverified, invalid or malformed events: run 'bucketchat verify "
                        + room + "'");
            }
        }
        return 0;
    }
}
