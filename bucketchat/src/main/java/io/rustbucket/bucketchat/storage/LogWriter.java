package io.rustbucket.bucketchat.storage;

import io.rustbucket.bucketchat.event.ChatEvent;
import io.rustbucket.core.store.ObjectExistsException;
import io.rustbucket.core.store.ObjectStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Writes batches of events as immutable log files: one file per UTC date, create-only. When a name is taken
 * (two flushes of one client in the same millisecond) it retries with {@code _1}, {@code _2}, ... so nothing is
 * overwritten and nothing lost.
 */
public final class LogWriter {
    /** Collisions tried before giving up; reaching it means something else is writing our names. */
    static final int MAX_SUFFIX = 1000;

    private final ObjectStore store;

    public LogWriter(ObjectStore store) {
        this.store = store;
    }

    /** Writes the events (all of one room and one sender); returns the keys of the files created. */
    public List<String> write(String roomId, String senderId, List<ChatEvent> events) {
        Map<java.time.LocalDate, List<ChatEvent>> byDay = new TreeMap<>();
        for (ChatEvent e : events) {
            byDay.computeIfAbsent(RoomLayout.utcDate(e.timestampMs()), d -> new ArrayList<>())
                    .add(e);
        }
        List<String> keys = new ArrayList<>();
        String client = RoomLayout.clientId(senderId);
        for (List<ChatEvent> day : byDay.values()) {
            StringBuilder body = new StringBuilder();
            for (ChatEvent e : day) {
                body.append(e.toLine()).append('\n');
            }
            byte[] bytes = body.toString().getBytes(StandardCharsets.UTF_8);
            long start = day.getFirst().timestampMs();
            long end = day.getLast().timestampMs();
            keys.add(createUnique(roomId, start, end, client, bytes));
        }
        return keys;
    }

    private String createUnique(String roomId, long start, long end, String client, byte[] bytes) {
        for (int seq = 0; seq <= MAX_SUFFIX; seq++) {
            String key = RoomLayout.logKey(roomId, start, end, client, seq);
            try {
                store.put(key, bytes);
                return key;
            } catch (ObjectExistsException taken) {
                // same millisecond as another flush: try the next suffix
            }
        }
        throw new IllegalStateException(
                "no free file name for " + roomId + " at " + start + " after " + MAX_SUFFIX + " tries");
    }
}
