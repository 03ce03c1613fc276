package io.rustbucket.app.chat;

import io.rustbucket.bucketchat.client.BucketChatClient;
import io.rustbucket.core.store.ObjectStore;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicBoolean;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code bucketchat chat ROOM}: line mode. Each line typed is sent (and flushed at once); others' events appear
 * as they arrive. {@code /quit} or end of input leaves.
 */
@Command(
        name = "chat",
        mixinStandardHelpOptions = true,
        description = "Chat interactively in a room (one message per line, /quit to leave).")
final class ChatInteractiveCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    BucketChatCommand chat;

    @Parameters(paramLabel = "ROOM")
    String room;

    @Override
    public Integer call() throws Exception {
        try (ObjectStore s = chat.openStore();
                BucketChatClient c = chat.open(s, room)) {
            AtomicBoolean done = new AtomicBoolean();
            Thread follower = Thread.ofVirtual().start(() -> {
                try {
                    ChatTailCommand.follow(c, 1000, done::get);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            System.out.println("in " + room + " as " + c.senderId() + "; type a message and Enter, /quit to leave");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.strip().equals("/quit")) {
                if (!line.isBlank()) {
                    c.message(line, null);
                    c.flush();
                }
            }
            done.set(true);
            follower.join(3000);
        }
        return 0;
    }
}
