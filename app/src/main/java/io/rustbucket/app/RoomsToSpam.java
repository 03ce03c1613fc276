package io.rustbucket.app;

import io.rustbucket.alerts.spam.SpamFilter;
import io.rustbucket.alerts.spam.SpamMessage;
import io.rustbucket.bucketchat.client.MetadataManager;
import io.rustbucket.bucketchat.client.SyncManager;
import io.rustbucket.bucketchat.event.ChatEvent;
import io.rustbucket.bucketchat.event.EventTypes;
import io.rustbucket.bucketchat.storage.LogReader;
import io.rustbucket.bucketchat.storage.LoggedEvent;
import io.rustbucket.core.store.ObjectStore;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bucket Chat rooms of the platform's store as a spam source, when alerts run in the same process: every
 * {@link #INTERVAL} the rooms' new log files are read (one sync cursor per room) and each new message is judged
 * under group {@code room:<id>}, its room's admins spared. A bucket has no server to delete from, so verdicts are
 * recorded for the console's spam log, not acted on. History present at start is not judged again; a room that
 * appears later is judged from its first message.
 */
final class RoomsToSpam implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(RoomsToSpam.class);
    static final Duration INTERVAL = Duration.ofSeconds(10);
    static final int MAX_ROOMS = 500;
    static final String GROUP_PREFIX = "room:";

    private final ObjectStore store;
    private final SpamFilter spam;
    private final Clock clock;
    private final MetadataManager metadata;
    private final Map<String, SyncManager> syncs = new HashMap<>();
    private final AtomicLong judged = new AtomicLong();
    private final ScheduledExecutorService timer;
    private boolean first = true;

    RoomsToSpam(ObjectStore store, SpamFilter spam, Clock clock, Duration interval) {
        this.store = store;
        this.spam = spam;
        this.clock = clock;
        this.metadata = new MetadataManager(store);
        this.timer = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("rooms-to-spam").factory());
        timer.scheduleWithFixedDelay(this::sweepQuietly, 0, interval.toMillis(), TimeUnit.MILLISECONDS);
    }

    long judged() {
        return judged.get();
    }

    private void sweepQuietly() {
        try {
            sweep();
        } catch (RuntimeException e) { // the store is down or a room is unreadable: next sweep tries again
            log.warn("reading rooms for the spam filter failed: {}", e.getMessage());
        }
    }

    synchronized void sweep() {
        for (String room : metadata.listRooms(MAX_ROOMS)) {
            SyncManager sync = syncs.get(room);
            if (sync == null) {
                sync = new SyncManager(store, room, clock, 30);
                syncs.put(room, sync);
                if (first) {
                    sync.pollKeys(); // what was there before this process started was judged by an earlier one
                    continue;
                }
            }
            Set<String> admins = metadata.read(room).metadata().admins();
            for (LogReader.FileContent file : sync.poll()) {
                for (LoggedEvent le : file.events()) {
                    judge(room, le.event(), admins);
                }
            }
        }
        first = false;
    }

    private void judge(String room, ChatEvent e, Set<String> admins) {
        if (!EventTypes.MESSAGE.equals(e.type())) {
            return;
        }
        String body = e.content().path("body").asText("");
        if (body.isBlank()) {
            return;
        }
        spam.check(
                new SpamMessage(
                        GROUP_PREFIX + room, e.senderId(), e.senderId(), body, false, admins.contains(e.senderId())),
                e.eventId());
        judged.incrementAndGet();
    }

    @Override
    public void close() {
        timer.shutdownNow();
    }
}
