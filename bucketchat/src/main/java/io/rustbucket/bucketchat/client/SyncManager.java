package io.rustbucket.bucketchat.client;

import io.rustbucket.bucketchat.storage.LogReader;
import io.rustbucket.bucketchat.storage.RoomLayout;
import io.rustbucket.core.store.ObjectInfo;
import io.rustbucket.core.store.ObjectStore;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Finds log files not read yet. The cursor is the set of keys already read, never a timestamp: a late flush
 * carries an old {@code start_ts} and must still be picked up. Each poll re-lists today's and yesterday's
 * folders (UTC); every {@code fullEvery}-th poll, and the first, lists the whole room, which catches flushes
 * dated further back. Only keys are kept: the bucket holds the content.
 */
public final class SyncManager {
    private final ObjectStore store;
    private final LogReader reader;
    private final String roomId;
    private final Clock clock;
    private final int fullEvery;
    private final Set<String> read = new HashSet<>();
    private final List<String> readInOrder = new ArrayList<>();
    private long polls;

    public SyncManager(ObjectStore store, String roomId, Clock clock, int fullEvery) {
        this.store = store;
        this.reader = new LogReader(store);
        this.roomId = roomId;
        this.clock = clock;
        this.fullEvery = Math.max(1, fullEvery);
    }

    /** Reads the files that appeared since the last poll and returns them in key order (parsed on all cores). */
    public List<LogReader.FileContent> poll() {
        return pollKeys().parallelStream().map(reader::read).toList();
    }

    /** Lists the files that appeared since the last poll and marks them read, without reading them. */
    public synchronized List<String> pollKeys() {
        Stream<ObjectInfo> listing;
        if (polls++ % fullEvery == 0) {
            listing = store.listAll(RoomLayout.logsPrefix(roomId));
        } else {
            LocalDate today = LocalDate.now(clock.withZone(ZoneOffset.UTC));
            listing = Stream.concat(
                    store.listAll(RoomLayout.dayPrefix(roomId, today.minusDays(1))),
                    store.listAll(RoomLayout.dayPrefix(roomId, today)));
        }
        List<String> fresh =
                listing.map(ObjectInfo::key).filter(k -> !read.contains(k)).toList();
        read.addAll(fresh);
        readInOrder.addAll(fresh);
        return fresh;
    }

    /** Every file key seen so far, in the order first seen: the cursor. */
    public synchronized List<String> keys() {
        return List.copyOf(readInOrder);
    }

    public LogReader reader() {
        return reader;
    }
}
