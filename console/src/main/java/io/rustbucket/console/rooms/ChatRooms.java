package io.rustbucket.console.rooms;

import io.rustbucket.bucketchat.client.BucketChatClient;
import io.rustbucket.bucketchat.client.EventFacts;
import io.rustbucket.bucketchat.client.MetadataManager;
import io.rustbucket.bucketchat.client.RoomMetadata;
import io.rustbucket.bucketchat.client.RoomState;
import io.rustbucket.bucketchat.client.RoomVerification;
import io.rustbucket.bucketchat.client.RoomVerifier;
import io.rustbucket.bucketchat.client.SignatureStatus;
import io.rustbucket.bucketchat.client.SyncManager;
import io.rustbucket.bucketchat.client.VerifiedEvent;
import io.rustbucket.bucketchat.event.EventTypes;
import io.rustbucket.core.auth.User;
import io.rustbucket.core.store.ObjectStore;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The Bucket Chat web client's server side: rooms in the platform's object store, read and verified with the
 * Bucket Chat library, and written as the signed-in user (their own key, see {@link ChatIdentities}). Each room
 * keeps one sync cursor, so a refresh lists only new files; the verification itself runs over every file read.
 */
public final class ChatRooms implements AutoCloseable {
    public static final int MAX_ROOMS = 500;
    public static final int MAX_BODY_CHARS = 16_000;

    /** A room in the list. */
    public record RoomSummary(String id, String name, String description, int members) {}

    /** One line of a room's timeline as a reader sees it. */
    public record Item(
            String eventId,
            String senderId,
            long timestampMs,
            String type,
            String text,
            boolean edited,
            boolean redacted,
            String replyTo,
            String replyPreview,
            Map<String, List<String>> reactions,
            String badge,
            boolean message) {}

    /** A room as the page shows it. */
    public record RoomView(
            String id,
            RoomMetadata metadata,
            List<Item> items,
            Map<String, RoomVerification.Chain> chains,
            Map<String, String> members,
            int files,
            int malformed,
            int conflicting,
            boolean clean) {
        /** Senders with events in the room but no key in its metadata. */
        public List<String> unlistedSenders() {
            return chains.keySet().stream()
                    .filter(s -> !metadata.members().containsKey(s))
                    .sorted()
                    .toList();
        }
    }

    private final ObjectStore store;
    private final ChatIdentities identities;
    private final Clock clock;
    private final MetadataManager metadata;
    private final Map<String, SyncManager> syncs = new ConcurrentHashMap<>();
    private final Map<String, BucketChatClient> writers = new ConcurrentHashMap<>();

    public ChatRooms(ObjectStore store, ChatIdentities identities, Clock clock) {
        this.store = store;
        this.identities = identities;
        this.clock = clock;
        this.metadata = new MetadataManager(store);
    }

    public List<RoomSummary> list() {
        List<RoomSummary> out = new ArrayList<>();
        for (String id : metadata.listRooms(MAX_ROOMS)) {
            try {
                RoomMetadata m = metadata.read(id).metadata();
                out.add(new RoomSummary(
                        id, m.name(), m.description(), m.members().size()));
            } catch (IllegalStateException e) { // unreadable metadata: listed, flagged
                out.add(new RoomSummary(id, id, "metadata unreadable: " + e.getMessage(), 0));
            }
        }
        return out;
    }

    /** Reads new files of the room and verifies everything read. */
    public RoomView view(String roomId) {
        RoomMetadata meta = metadata.read(roomId).metadata();
        SyncManager sync = sync(roomId);
        sync.pollKeys();
        RoomVerification v = RoomVerifier.verify(roomId, sync.keys(), sync.reader(), meta.publicKeys(), meta.admins());
        return new RoomView(
                roomId,
                meta,
                items(v),
                v.chains(),
                v.state().members(),
                v.files(),
                v.malformed().size(),
                (int) v.duplicates().stream()
                        .filter(RoomVerification.Duplicate::conflicting)
                        .count(),
                v.clean());
    }

    /** How many files the room has now: changes when anyone writes (the live view's trigger). */
    public int files(String roomId) {
        SyncManager sync = sync(roomId);
        sync.pollKeys();
        return sync.keys().size();
    }

    /** Creates a room with the user as its admin. */
    public void create(User user, String roomId, String name, String description) {
        BucketChatClient c = BucketChatClient.create(
                store, roomId, name, description, identities.signer(user), clock, BucketChatClient.Options.defaults());
        c.flush();
        writers.put(writerKey(user, roomId), c);
    }

    public void message(User user, String roomId, String body, String replyTo) {
        write(user, roomId, c -> c.message(checkBody(body), blankToNull(replyTo)));
    }

    public void edit(User user, String roomId, String eventId, String body) {
        write(user, roomId, c -> c.edit(eventId, checkBody(body)));
    }

    public void redact(User user, String roomId, String eventId, String reason) {
        write(user, roomId, c -> c.redact(eventId, blankToNull(reason)));
    }

    public void react(User user, String roomId, String eventId, String reaction) {
        if (reaction == null || reaction.isBlank() || reaction.codePointCount(0, reaction.length()) > 16) {
            throw new IllegalArgumentException("a reaction is 1-16 characters");
        }
        write(user, roomId, c -> c.react(eventId, reaction.strip()));
    }

    /** Writes as the user (joining first if the room does not know their key yet) and flushes at once. */
    private void write(User user, String roomId, java.util.function.Consumer<BucketChatClient> action) {
        BucketChatClient c = writers.computeIfAbsent(writerKey(user, roomId), k -> {
            BucketChatClient opened = BucketChatClient.open(
                    store, roomId, identities.signer(user), clock, BucketChatClient.Options.defaults());
            if (!opened.metadata().publicKeys().containsKey(opened.senderId())) {
                opened.join();
            }
            return opened;
        });
        synchronized (c) {
            action.accept(c);
            c.flush();
        }
    }

    private SyncManager sync(String roomId) {
        metadata.read(roomId); // fails clearly for a room that does not exist
        return syncs.computeIfAbsent(roomId, id -> new SyncManager(store, id, clock, 30));
    }

    private static List<Item> items(RoomVerification v) {
        RoomState state = v.state();
        Map<String, RoomState.VisibleMessage> visible = new java.util.HashMap<>();
        state.messages().forEach(m -> visible.put(m.eventId(), m));
        List<Item> out = new ArrayList<>();
        for (VerifiedEvent e : v.timeline()) {
            String badge = badge(e.signature());
            EventFacts facts = e.facts();
            if (EventTypes.MESSAGE.equals(e.type())) {
                RoomState.VisibleMessage m = visible.get(e.eventId());
                if (m != null) {
                    out.add(new Item(
                            e.eventId(),
                            e.senderId(),
                            e.timestampMs(),
                            e.type(),
                            m.body(),
                            m.edited(),
                            false,
                            m.replyTo(),
                            preview(visible.get(m.replyTo())),
                            m.reactions(),
                            badge,
                            true));
                } else {
                    boolean redacted = e.authentic();
                    String replyTo = facts instanceof EventFacts.Message msg ? msg.replyTo() : null;
                    out.add(new Item(
                            e.eventId(),
                            e.senderId(),
                            e.timestampMs(),
                            e.type(),
                            redacted ? "" : e.body(),
                            false,
                            redacted,
                            replyTo,
                            preview(visible.get(replyTo)),
                            Map.of(),
                            badge,
                            true));
                }
            } else if (facts instanceof EventFacts.Member member) {
                out.add(system(e, badge, e.senderId() + " " + describe(member)));
            } else if (!e.authentic()) { // authentic edits, reactions and redactions are folded into messages
                out.add(system(e, badge, e.type() + " (not applied: " + badge + ")"));
            } else if (!EventTypes.STORED.contains(e.type())) {
                out.add(system(e, badge, "unsupported event type " + e.type()));
            }
        }
        return out;
    }

    private static Item system(VerifiedEvent e, String badge, String text) {
        return new Item(
                e.eventId(),
                e.senderId(),
                e.timestampMs(),
                e.type(),
                text,
                false,
                false,
                null,
                null,
                Map.of(),
                badge,
                false);
    }

    private static String describe(EventFacts.Member m) {
        String target = m.target() == null ? "" : " " + m.target();
        return switch (m.membership()) {
            case "join" -> "joined";
            case "leave" -> "left";
            case "invite" -> "invited" + target;
            case "ban" -> "banned" + target;
            case "kick" -> "removed" + target;
            default -> m.membership() + target;
        };
    }

    static String badge(SignatureStatus s) {
        return switch (s) {
            case VALID -> "verified";
            case UNVERIFIED -> "unverified";
            case INVALID_SIGNATURE -> "invalid";
        };
    }

    private static String preview(RoomState.VisibleMessage m) {
        if (m == null) {
            return null;
        }
        String b = m.body() == null ? "" : m.body();
        return m.senderId() + ": " + (b.length() > 80 ? b.substring(0, 80) + "…" : b);
    }

    private static String checkBody(String body) {
        if (body == null || body.isBlank()) {
            throw new IllegalArgumentException("a message needs text");
        }
        if (body.length() > MAX_BODY_CHARS) {
            throw new IllegalArgumentException("a message is at most " + MAX_BODY_CHARS + " characters");
        }
        return body;
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String writerKey(User user, String roomId) {
        return user.id() + "\n" + roomId;
    }

    @Override
    public void close() {
        writers.values().forEach(BucketChatClient::close);
        writers.clear();
    }
}
