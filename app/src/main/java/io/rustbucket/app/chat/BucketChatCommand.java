package io.rustbucket.app.chat;

import io.rustbucket.bucketchat.client.BucketChatClient;
import io.rustbucket.bucketchat.crypto.EventSigner;
import io.rustbucket.bucketchat.event.ChatEvent;
import io.rustbucket.core.store.ObjectStore;
import io.rustbucket.core.store.StoreConfig;
import io.rustbucket.core.store.folder.FolderObjectStore;
import io.rustbucket.core.store.s3.S3ObjectStore;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.function.Function;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ScopeType;

/** {@code ./rustbucket bucketchat}: serverless, signed chat over a bucket (folder or S3). */
@Command(
        name = "bucketchat",
        mixinStandardHelpOptions = true,
        description = "Serverless chat over an object-store bucket: signed, hash-chained JSONL events.",
        subcommands = {
            ChatKeysCommand.class,
            ChatRoomCommand.class,
            ChatHistoryCommand.class,
            ChatTailCommand.class,
            ChatInteractiveCommand.class,
            ChatVerifyCommand.class
        })
public final class BucketChatCommand {
    @Option(
            names = "--store",
            scope = ScopeType.INHERIT,
            paramLabel = "DIR|s3://BUCKET/PREFIX",
            description =
                    "where rooms live (default: DATA/store, the platform's folder store); for S3 the endpoint,"
                            + " region and path style come from RUSTBUCKET_S3_ENDPOINT, RUSTBUCKET_S3_REGION, RUSTBUCKET_S3_PATH_STYLE")
    String store;

    @Option(
            names = "--user",
            scope = ScopeType.INHERIT,
            paramLabel = "SENDER_ID",
            description = "who you are, e.g. user:alice (default: $RUSTBUCKET_CHAT_USER)")
    String user;

    @Option(
            names = "--data",
            scope = ScopeType.INHERIT,
            paramLabel = "DIR",
            description = "data directory holding your keys (default: ./data)")
    Path data;

    /** Flushes every second in the CLI: a person waits for what they typed. */
    static final BucketChatClient.Options OPTIONS = new BucketChatClient.Options(Duration.ofSeconds(1), 100, 30);

    Path dataDir() {
        return (data == null ? Path.of(System.getenv().getOrDefault("RUSTBUCKET_DATA_DIR", "./data")) : data)
                .toAbsolutePath();
    }

    String sender() {
        String u = user != null ? user : System.getenv("RUSTBUCKET_CHAT_USER");
        if (u == null || u.isBlank()) {
            throw new IllegalArgumentException("say who you are with --user SENDER_ID (or RUSTBUCKET_CHAT_USER)");
        }
        return u;
    }

    ChatKeyStore keys() {
        return new ChatKeyStore(dataDir());
    }

    EventSigner signer() {
        String s = sender();
        return new EventSigner(s, keys().load(s));
    }

    ObjectStore openStore() {
        if (store != null && store.startsWith("s3://")) {
            String rest = store.substring(5);
            int slash = rest.indexOf('/');
            String bucket = slash < 0 ? rest : rest.substring(0, slash);
            String prefix = slash < 0 ? "" : rest.substring(slash + 1);
            if (!prefix.isEmpty() && !prefix.endsWith("/")) {
                prefix += "/";
            }
            Map<String, String> env = System.getenv();
            return S3ObjectStore.open(new StoreConfig.S3(
                    bucket,
                    env.get("RUSTBUCKET_S3_REGION"),
                    env.get("RUSTBUCKET_S3_ENDPOINT"),
                    Boolean.parseBoolean(env.getOrDefault("RUSTBUCKET_S3_PATH_STYLE", "false")),
                    prefix,
                    env.get("RUSTBUCKET_S3_ACCESS_KEY_ID"),
                    env.get("RUSTBUCKET_S3_SECRET_ACCESS_KEY"),
                    null,
                    null));
        }
        return new FolderObjectStore(store == null ? dataDir().resolve("store") : Path.of(store));
    }

    BucketChatClient open(ObjectStore s, String room) {
        return BucketChatClient.open(s, room, signer(), Clock.systemUTC(), OPTIONS);
    }

    // The commands that write one event each print its id.

    @Command(
            name = "join",
            mixinStandardHelpOptions = true,
            description = "Join a room (publishes your public key in its metadata).")
    int join(@Parameters(paramLabel = "ROOM") String room) {
        return write(room, BucketChatClient::join);
    }

    @Command(name = "leave", mixinStandardHelpOptions = true, description = "Leave a room.")
    int leave(@Parameters(paramLabel = "ROOM") String room) {
        return write(room, c -> c.member("leave", null));
    }

    @Command(name = "invite", mixinStandardHelpOptions = true, description = "Invite a user to a room.")
    int invite(@Parameters(paramLabel = "ROOM") String room, @Parameters(paramLabel = "USER") String invitee) {
        return write(room, c -> c.member("invite", invitee));
    }

    @Command(name = "send", mixinStandardHelpOptions = true, description = "Send a message.")
    int send(
            @Parameters(paramLabel = "ROOM") String room,
            @Parameters(paramLabel = "TEXT") String text,
            @Option(names = "--reply-to", paramLabel = "ID", description = "the event this replies to")
                    String replyTo) {
        return write(room, c -> c.message(text, replyTo));
    }

    @Command(name = "edit", mixinStandardHelpOptions = true, description = "Edit one of your messages.")
    int edit(
            @Parameters(paramLabel = "ROOM") String room,
            @Parameters(paramLabel = "ID") String id,
            @Parameters(paramLabel = "TEXT") String text) {
        return write(room, c -> c.edit(id, text));
    }

    @Command(
            name = "redact",
            mixinStandardHelpOptions = true,
            description = "Redact a message (yours, or anyone's as a room admin).")
    int redact(@Parameters(paramLabel = "ROOM") String room, @Parameters(paramLabel = "ID") String id) {
        return write(room, c -> c.redact(id, null));
    }

    @Command(name = "react", mixinStandardHelpOptions = true, description = "React to a message.")
    int react(
            @Parameters(paramLabel = "ROOM") String room,
            @Parameters(paramLabel = "ID") String id,
            @Parameters(paramLabel = "EMOJI") String emoji) {
        return write(room, c -> c.react(id, emoji));
    }

    private int write(String room, Function<BucketChatClient, ChatEvent> action) {
        try (ObjectStore s = openStore();
                BucketChatClient c = open(s, room)) {
            ChatEvent e = action.apply(c);
            c.flush();
            System.out.println(e.eventId());
        }
        return 0;
    }
}
