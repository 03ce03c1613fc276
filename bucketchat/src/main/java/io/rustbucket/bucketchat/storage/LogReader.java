package io.rustbucket.bucketchat.storage;

import io.rustbucket.bucketchat.event.EventParser;
import io.rustbucket.core.store.ObjectNotFoundException;
import io.rustbucket.core.store.ObjectStore;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads one log file into events and malformed-line reports; never throws for bad content. Also checks what
 * the file's name claims (room, date, first and last timestamps) against the events inside, which is how
 * renamed or reordered files show up.
 */
public final class LogReader {
    /** What one file held. */
    public record FileContent(String key, List<LoggedEvent> events, List<Malformed> malformed) {}

    private final ObjectStore store;

    public LogReader(ObjectStore store) {
        this.store = store;
    }

    public FileContent read(String key) {
        List<LoggedEvent> events = new ArrayList<>();
        List<Malformed> malformed = new ArrayList<>();
        Optional<RoomLayout.LogFile> name = RoomLayout.parseLogKey(key);
        if (name.isEmpty()) {
            malformed.add(new Malformed(key, 0, "not a log file name (messages_{start}_{end}_{client}.jsonl)"));
            return new FileContent(key, events, malformed);
        }
        var decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader r = new BufferedReader(new InputStreamReader(store.get(key), decoder))) {
            String line;
            int n = 0;
            while ((line = r.readLine()) != null) {
                n++;
                if (line.isBlank()) {
                    continue;
                }
                EventParser.Result p = EventParser.parse(line);
                if (p.ok()) {
                    events.add(new LoggedEvent(p.event(), key, n));
                } else {
                    malformed.add(new Malformed(key, n, p.error()));
                }
            }
        } catch (ObjectNotFoundException e) {
            malformed.add(new Malformed(key, 0, "listed but no longer readable"));
        } catch (java.nio.charset.CharacterCodingException e) {
            malformed.add(new Malformed(key, 0, "not valid UTF-8"));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + key + " failed", e);
        }
        checkName(name.get(), events, malformed);
        return new FileContent(key, events, malformed);
    }

    private static void checkName(RoomLayout.LogFile name, List<LoggedEvent> events, List<Malformed> malformed) {
        for (LoggedEvent e : events) {
            if (!e.event().roomId().equals(name.roomId())) {
                malformed.add(new Malformed(
                        name.key(), e.line(), "event of room " + e.event().roomId() + " in this room's log"));
            }
        }
        if (events.isEmpty()) {
            return;
        }
        long first = events.getFirst().event().timestampMs();
        long last = events.getLast().event().timestampMs();
        if (first != name.startTs() || last != name.endTs()) {
            malformed.add(new Malformed(
                    name.key(),
                    0,
                    "file name says " + name.startTs() + ".." + name.endTs() + " but its events run " + first + ".."
                            + last + " (renamed or reordered file)"));
        }
        if (!RoomLayout.utcDate(first).equals(name.date())) {
            malformed.add(new Malformed(
                    name.key(),
                    0,
                    "file is in folder " + name.date() + " but its first event is of " + RoomLayout.utcDate(first)));
        }
    }
}
