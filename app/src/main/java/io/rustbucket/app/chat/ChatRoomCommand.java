package io.rustbucket.app.chat;

import io.rustbucket.bucketchat.client.BucketChatClient;
import io.rustbucket.core.store.ObjectStore;
import java.time.Clock;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code bucketchat room create}. */
@Command(name = "room", mixinStandardHelpOptions = true, description = "Create rooms.")
final class ChatRoomCommand {
    @ParentCommand
    BucketChatCommand chat;

    @Command(
            name = "create",
            mixinStandardHelpOptions = true,
            description = "Create a room with you as its admin and first member.")
    int create(
            @Parameters(paramLabel = "ROOM") String room,
            @Option(names = "--name", defaultValue = "", description = "display name") String name,
            @Option(names = "--description", defaultValue = "", description = "what the room is for")
                    String description) {
        try (ObjectStore s = chat.openStore();
                BucketChatClient c = BucketChatClient.create(
                        s, room, name, description, chat.signer(), Clock.systemUTC(), BucketChatCommand.OPTIONS)) {
            System.out.println("created room " + room + " in " + s.describe());
        }
        return 0;
    }
}
