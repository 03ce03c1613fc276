package io.rustbucket.bucketchat.client;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rustbucket.bucketchat.crypto.EventSigner;
import io.rustbucket.bucketchat.event.ChatEvent;
import io.rustbucket.bucketchat.event.EventIds;
import io.rustbucket.bucketchat.event.EventTypes;
import io.rustbucket.bucketchat.storage.LogWriter;
import io.rustbucket.bucketchat.storage.LoggedEvent;
import io.rustbucket.core.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One sender in one room: creates, signs and chains events, buffers them to the bucket, and reads the room back
 * (sync, verification, state). The sender's chain continues from its latest event already in the bucket.
 */
public final class BucketChatClient implements AutoCloseable {
    /** How the client flushes and syncs. */
    public record Options(Duration flushInterval, int flushEvents, int fullSyncEvery) {
        public static Options defaults() {
            return new Options(Duration.ofSeconds(5), 100, 60);
        }
    }

    /** Timeline order of the protocol: {@code (timestamp_ms, event_id)}. */
    static final java.util.Comparator<ChatEvent> EVENT_ORDER =
            java.util.Comparator.comparingLong(ChatEvent::timestampMs).thenComparing(ChatEvent::eventId);

    private final String roomId;
    private final EventSigner signer;
    private final Clock clock;
    private final MetadataManager metadata;
    private final SyncManager sync;
    private final BufferManager buffer;
    private String lastHash;

    private BucketChatClient(ObjectStore store, String roomId, EventSigner signer, Clock clock, Options options) {
        this.roomId = EventIds.validateRoomId(roomId);
        this.signer = signer;
        this.clock = clock;
        this.metadata = new MetadataManager(store);
        this.sync = new SyncManager(store, roomId, clock, options.fullSyncEvery());
        this.buffer = new BufferManager(
                new LogWriter(store), roomId, signer.senderId(), options.flushEvents(), options.flushInterval());
        this.lastHash = chainHead(sync.pollKeys());
    }

    /** Opens an existing room as this sender. */
    public static BucketChatClient open(
            ObjectStore store, String roomId, EventSigner signer, Clock clock, Options options) {
        new MetadataManager(store).read(EventIds.validateRoomId(roomId)); // fails clearly when the room does not exist
        return new BucketChatClient(store, roomId, signer, clock, options);
    }

    /** Creates a room with this sender as admin and member, and opens it. */
    public static BucketChatClient create(
            ObjectStore store,
            String roomId,
            String name,
            String description,
            EventSigner signer,
            Clock clock,
            Options options) {
        new MetadataManager(store).create(EventIds.validateRoomId(roomId), name, description, signer, clock.millis());
        BucketChatClient c = new BucketChatClient(store, roomId, signer, clock, options);
        c.member("join", null);
        return c;
    }

    /** Publishes this sender's key in the room metadata (self-enrolment) and joins. */
    public ChatEvent join() {
        metadata.enroll(roomId, signer);
        return member("join", null);
    }

    public ChatEvent message(String body, String replyTo) {
        ObjectNode c = JsonNodeFactory.instance.objectNode().put("body", body).put("msgtype", "m.text");
        return emit(EventTypes.MESSAGE, c, replyTo);
    }

    public ChatEvent edit(String eventId, String body) {
        ObjectNode c = JsonNodeFactory.instance.objectNode().put("replaces", eventId);
        c.putObject("new_content").put("body", body).put("msgtype", "m.text");
        return emit(EventTypes.EDIT, c, eventId);
    }

    public ChatEvent redact(String eventId, String reason) {
        ObjectNode c = JsonNodeFactory.instance.objectNode().put("redacts", eventId);
        if (reason != null) {
            c.put("reason", reason);
        }
        return emit(EventTypes.REDACTION, c, eventId);
    }

    public ChatEvent react(String eventId, String reaction) {
        return emit(
                EventTypes.REACTION,
                JsonNodeFactory.instance.objectNode().put("relates_to", eventId).put("reaction", reaction),
                eventId);
    }

    /** A membership event about {@code target} (null = this sender). */
    public ChatEvent member(String membership, String target) {
        if (!EventTypes.MEMBERSHIPS.contains(membership)) {
            throw new IllegalArgumentException("membership must be one of " + EventTypes.MEMBERSHIPS);
        }
        ObjectNode c = JsonNodeFactory.instance.objectNode().put("membership", membership);
        if (target != null) {
            c.put("target", target);
        }
        return emit(EventTypes.MEMBER, c, null);
    }

    /** Signs, chains and buffers any event. Floats in content are refused (they have no canonical form). */
    public synchronized ChatEvent emit(String type, ObjectNode content, String parentEventId) {
        if (EventTypes.TYPING.equals(type)) {
            throw new IllegalArgumentException(type + " is ephemeral and never written to the bucket");
        }
        Instant now = clock.instant();
        ChatEvent unsigned = new ChatEvent(
                EventIds.generate(roomId, now),
                roomId,
                now.toEpochMilli(),
                signer.senderId(),
                type,
                parentEventId,
                lastHash,
                "",
                content);
        EventSigner.Signed signed = signer.signAndHash(unsigned);
        buffer.add(signed.event());
        lastHash = signed.hash();
        return signed.event();
    }

    public List<String> flush() {
        return buffer.flush();
    }

    /** Reads new files; returns the new events in order. */
    public List<LoggedEvent> poll() {
        return sync.poll().stream()
                .flatMap(f -> f.events().stream())
                .sorted(java.util.Comparator.comparing(LoggedEvent::event, EVENT_ORDER))
                .toList();
    }

    /** Verifies everything read so far, with the room's keys plus any given ones (given ones win). */
    public RoomVerification verify(Map<String, String> extraKeys) {
        RoomMetadata meta = metadata.read(roomId).metadata();
        Map<String, String> keys = new HashMap<>(meta.publicKeys());
        keys.putAll(extraKeys);
        return RoomVerifier.verify(roomId, sync.keys(), sync.reader(), keys, meta.admins());
    }

    public RoomMetadata metadata() {
        return metadata.read(roomId).metadata();
    }

    public String roomId() {
        return roomId;
    }

    public String senderId() {
        return signer.senderId();
    }

    /**
     * The hash of this sender's latest event in the given files (its chain's tip), or null for a first event.
     * Reads the files one at a time and keeps only this sender's links.
     */
    private String chainHead(List<String> keys) {
        Map<String, ChatEvent> mine = new HashMap<>();
        Set<String> referenced = new HashSet<>();
        for (String key : keys) {
            for (LoggedEvent le : sync.reader().read(key).events()) {
                ChatEvent e = le.event();
                if (e.senderId().equals(signer.senderId())) {
                    mine.put(
                            e.hash(),
                            new ChatEvent(
                                    e.eventId(),
                                    e.roomId(),
                                    e.timestampMs(),
                                    e.senderId(),
                                    e.type(),
                                    null,
                                    e.prevEventHash(),
                                    "",
                                    null));
                    if (e.prevEventHash() != null) {
                        referenced.add(e.prevEventHash());
                    }
                }
            }
        }
        String tip = null;
        ChatEvent tipEvent = null;
        for (var entry : mine.entrySet()) {
            if (!referenced.contains(entry.getKey())
                    && (tipEvent == null || EVENT_ORDER.compare(entry.getValue(), tipEvent) > 0)) {
                tip = entry.getKey();
                tipEvent = entry.getValue();
            }
        }
        return tip;
    }

    @Override
    public void close() {
        buffer.close();
    }
}
