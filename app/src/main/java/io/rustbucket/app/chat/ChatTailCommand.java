package io.rustbucket.app.chat;

import io.rustbucket.bucketchat.client.BucketChatClient;
import io.rustbucket.bucketchat.client.SignatureStatus;
import io.rustbucket.bucketchat.crypto.Ed25519;
import io.rustbucket.bucketchat.event.ChatEvent;
import io.rustbucket.bucketchat.storage.LoggedEvent;
import io.rustbucket.core.store.ObjectStore;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code bucketchat tail ROOM}: prints new events as they arrive, until interrupted. */
@Command(name = "tail", mixinStandardHelpOptions = true, description = "Follow a room live.")
final class ChatTailCommand implements java.util.concurrent.Callable<Integer> {
    @ParentCommand
    BucketChatCommand chat;

    @Parameters(paramLabel = "ROOM")
    String room;

    @Option(names = "--interval-ms", defaultValue = "1000", description = "poll interval (default: ${DEFAULT-VALUE})")
    long intervalMs;

    @Override
    public Integer call() throws InterruptedException {
        try (ObjectStore s = chat.openStore();
                BucketChatClient c = chat.open(s, room)) {
            follow(c, intervalMs, () -> false);
        }
        return 0;
    }

    /** Polls and prints until {@code stop} says so; shared with the interactive chat. */
    static void follow(BucketChatClient c, long intervalMs, java.util.function.BooleanSupplier stop)
            throws InterruptedException {
        while (!stop.getAsBoolean()) {
            Map<String, String> keys = c.metadata().publicKeys();
            for (LoggedEvent l : c.poll()) {
                System.out.println(ChatPrinter.line(
                        l.event(), status(l.event(), keys), l.event().text("body")));
            }
            System.out.flush();
            Thread.sleep(intervalMs);
        }
    }

    static SignatureStatus status(ChatEvent e, Map<String, String> keys) {
        return Ed25519.decodePublicKey(keys.get(e.senderId()))
                .map(k -> Ed25519.verify(k, e.canonical(), e.signature())
                        ? SignatureStatus.VALID
                        : SignatureStatus.INVALID_SIGNATURE)
                .orElse(SignatureStatus.UNVERIFIED);
    }
}
