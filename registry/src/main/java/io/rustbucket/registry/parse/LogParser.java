package io.rustbucket.registry.parse;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.sql.Database;
import io.rustbucket.core.store.ObjectNotFoundException;
import io.rustbucket.registry.activity.Activity;
import io.rustbucket.registry.archive.Archive;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.function.BooleanSupplier;
import java.util.zip.GZIPInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hourly parser: every archive object not parsed yet becomes one row in {@code logs} (its text) and one row per
 * event in {@code sensor_events}; lines that are not events are counted and kept in {@code sensor_raw_lines}.
 * Re-parsing an object (after a crash half way) stores nothing twice: events are keyed, and the object's raw lines
 * and {@code logs} row are replaced. An object that cannot be read at all is marked with its error, never retried
 * forever and never stopping the run.
 */
public final class LogParser {
    private static final Logger log = LoggerFactory.getLogger(LogParser.class);
    static final int MAX_LINE_BYTES = 1024 * 1024;
    static final int BATCH = 500;
    static final int MAX_RAW_ROWS_PER_OBJECT = 10_000;
    static final int RAW_TEXT_CHARS = 4000;
    /** The {@code logs.log} text of one object is kept up to this many characters (a marker says it was cut). */
    static final int MAX_LOG_TEXT_CHARS = 16 * 1024 * 1024;

    /** What one run did. */
    public record Result(int objects, long lines, long events, long duplicates, long invalid, int failedObjects) {}

    private final Archive archive;
    private final Activity activity;
    private final Database db;
    private final ParsedEventSink sink;
    private final Clock clock;

    public LogParser(Archive archive, Database db, ParsedEventSink sink, Activity activity, Clock clock) {
        this.activity = activity;
        this.archive = archive;
        this.db = db;
        this.sink = sink;
        this.clock = clock;
    }

    /** Parses waiting objects until none is left or {@code keepGoing} says stop (the job's lease ran out). */
    public Result run(BooleanSupplier keepGoing) {
        int objects = 0;
        int failed = 0;
        long lines = 0;
        long events = 0;
        long dups = 0;
        long invalid = 0;
        Set<String> failedThisRun = new HashSet<>();
        while (keepGoing.getAsBoolean()) {
            List<Archive.Entry> batch = archive.unparsed(50).stream()
                    .filter(e -> !failedThisRun.contains(e.id()))
                    .toList();
            if (batch.isEmpty()) {
                break;
            }
            for (Archive.Entry e : batch) {
                if (!keepGoing.getAsBoolean()) {
                    break;
                }
                try {
                    Counts c = parse(e);
                    objects++;
                    lines += c.lines;
                    events += c.events;
                    dups += c.duplicates;
                    invalid += c.invalid;
                } catch (ObjectNotFoundException | java.util.zip.ZipException ex) {
                    // The object is gone or is not gzip: nothing later will make it readable.
                    archive.markParsed(e.id(), 0, 0, 0, "unreadable: " + ex.getMessage());
                    failed++;
                } catch (IOException | RuntimeException ex) {
                    // Store, database or sink trouble: left unparsed for the next run.
                    log.warn("parsing {} failed, retried at the next run: {}", e.key(), ex.getMessage());
                    failedThisRun.add(e.id());
                    failed++;
                }
            }
        }
        return new Result(objects, lines, events, dups, invalid, failed);
    }

    private static final class Counts {
        long lines;
        long events;
        long duplicates;
        long invalid;
    }

    private Counts parse(Archive.Entry entry) throws IOException {
        Counts c = new Counts();
        String ip = db.withHandle(h -> h.createQuery("SELECT ip_address FROM sensors WHERE id = :id")
                .bind("id", entry.sensorId() == null ? "" : entry.sensorId())
                .mapTo(String.class)
                .findOne()
                .orElse(""));
        db.useHandle(h -> {
            h.createUpdate("DELETE FROM sensor_raw_lines WHERE archive_object_id = :id")
                    .bind("id", entry.id())
                    .execute();
            h.createUpdate("DELETE FROM logs WHERE archive_object_id = :id")
                    .bind("id", entry.id())
                    .execute();
        });
        StringBuilder text = new StringBuilder();
        long textBytes = 0;
        boolean cut = false;
        Map<String, ParsedEvent> pending = new LinkedHashMap<>();
        List<String> pendingLines = new ArrayList<>();
        int rawRows = 0;
        try (InputStream in = new GZIPInputStream(archive.store().get(entry.key()), 64 * 1024)) {
            Lines source = new Lines(in);
            ByteArrayOutputStream buf = new ByteArrayOutputStream(512);
            while (true) {
                buf.reset();
                int r = source.next(buf);
                if (r == EOF) {
                    break;
                }
                c.lines++;
                String line = buf.toString(StandardCharsets.UTF_8);
                if (line.endsWith("\r")) {
                    line = line.substring(0, line.length() - 1);
                }
                textBytes += buf.size() + 1L;
                if (!cut && text.length() + line.length() + 1 <= MAX_LOG_TEXT_CHARS) {
                    text.append(line).append('\n');
                } else if (!cut) {
                    cut = true;
                    text.append("[rustbucket: log text cut at ")
                            .append(MAX_LOG_TEXT_CHARS)
                            .append(" characters]\n");
                }
                if (line.isBlank() && r != TOO_LONG) {
                    c.lines--;
                    continue;
                }
                String reason = null;
                ParsedEvent ev = null;
                if (r == TOO_LONG) {
                    reason = "line longer than " + MAX_LINE_BYTES + " bytes";
                } else {
                    try {
                        JsonNode j = Json.mapper().readTree(line);
                        ev = ParsedEvent.of(j, line, entry.sensorName());
                    } catch (JsonProcessingException e) {
                        reason = "not JSON";
                    } catch (ParsedEvent.Invalid e) {
                        reason = e.getMessage();
                    }
                }
                if (ev == null) {
                    c.invalid++;
                    if (rawRows++ < MAX_RAW_ROWS_PER_OBJECT) {
                        insertRaw(entry.id(), c.lines, reason, line);
                    }
                    continue;
                }
                if (pending.putIfAbsent(ev.eventKey(), ev) == null) {
                    pendingLines.add(line);
                } else {
                    c.duplicates++;
                }
                if (pending.size() >= BATCH) {
                    flush(entry, pending, pendingLines, c);
                }
            }
        }
        flush(entry, pending, pendingLines, c);
        insertLogRow(entry, ip, text.toString(), textBytes);
        archive.markParsed(entry.id(), c.lines, c.events, c.invalid, null);
        return c;
    }

    private void flush(Archive.Entry entry, Map<String, ParsedEvent> pending, List<String> lines, Counts c) {
        if (pending.isEmpty()) {
            return;
        }
        sink.accept(List.copyOf(lines));
        java.time.Instant parsedAt = clock.instant();
        int added = db.inTransaction(h -> {
            Set<String> existing =
                    new HashSet<>(h.createQuery("SELECT event_key FROM sensor_events WHERE event_key IN (<k>)")
                            .bindList("k", new ArrayList<>(pending.keySet()))
                            .mapTo(String.class)
                            .list());
            var batch = h.prepareBatch("INSERT INTO sensor_events (id, event_key, archive_object_id, sensor_id, "
                    + "sensor_name, at, parsed_at, session_id, source_ip, source_port, protocol, action, user_name, "
                    + "user_password, input, response, responder, url, file_sha256) VALUES (:id, :key, :obj, :sid, :sname, :at, "
                    + ":parsed, :session, :ip, :port, :proto, :action, :user, :pw, :input, :response, :responder, :url, "
                    + ":sha)");
            List<ParsedEvent> fresh = new ArrayList<>();
            for (ParsedEvent e : pending.values()) {
                if (existing.contains(e.eventKey())) {
                    c.duplicates++;
                    continue;
                }
                fresh.add(e);
                batch.bind("id", UUID.randomUUID().toString())
                        .bind("key", e.eventKey())
                        .bind("obj", entry.id())
                        .bind("sid", entry.sensorId())
                        .bind("sname", e.sensorName())
                        .bind("at", e.at())
                        .bind("parsed", parsedAt)
                        .bind("session", e.sessionId())
                        .bind("ip", e.sourceIp())
                        .bind("port", e.sourcePort())
                        .bind("proto", e.protocol())
                        .bind("action", e.action())
                        .bind("user", e.userName())
                        .bind("pw", e.password())
                        .bind("input", e.input())
                        .bind("response", e.response())
                        .bind("responder", e.responder())
                        .bind("url", e.url())
                        .bind("sha", e.fileSha256())
                        .add();
            }
            if (!fresh.isEmpty()) {
                batch.execute();
                activity.count(h, fresh);
            }
            return fresh.size();
        });
        c.events += added;
        if (added > 0) {
            activity.changed(); // after the commit: cached figures must not be recomputed from uncommitted rows
        }
        pending.clear();
        lines.clear();
    }

    private void insertRaw(String objectId, long lineNo, String reason, String line) {
        db.useHandle(h -> h.createUpdate("INSERT INTO sensor_raw_lines (id, archive_object_id, line_no, reason, "
                        + "line_text) VALUES (:id, :obj, :no, :reason, :text)")
                .bind("id", UUID.randomUUID().toString())
                .bind("obj", objectId)
                .bind("no", lineNo)
                .bind("reason", reason)
                .bind("text", ParsedEvent.cut(line.replace('\u0000', '\uFFFD'), RAW_TEXT_CHARS))
                .execute());
    }

    private void insertLogRow(Archive.Entry entry, String ip, String text, long bytes) {
        BigDecimal mb = BigDecimal.valueOf(bytes).divide(BigDecimal.valueOf(1024L * 1024), 4, RoundingMode.HALF_UP);
        db.useHandle(h -> h.createUpdate("INSERT INTO logs (id, name, ip_address, log, log_size, created_at, "
                        + "archive_object_id, sensor_id) VALUES (:id, :name, :ip, :log, :size, :now, :obj, :sid)")
                .bind("id", UUID.randomUUID().toString())
                .bind("name", entry.sensorName())
                .bind("ip", ip)
                .bind("log", text.replace('\u0000', '\uFFFD'))
                .bind("size", mb)
                .bind("now", clock.instant())
                .bind("obj", entry.id())
                .bind("sid", entry.sensorId())
                .execute());
    }

    static final int EOF = -1;
    static final int LINE = 0;
    static final int TOO_LONG = 1;

    /** LF-terminated lines of an untrusted stream, each kept up to {@link #MAX_LINE_BYTES} (the rest skipped). */
    static final class Lines {
        private final InputStream in;
        private final byte[] buf = new byte[64 * 1024];
        private int pos;
        private int len;

        Lines(InputStream in) {
            this.in = in;
        }

        /** Reads the next line into {@code out} (a CR before the LF dropped): {@link #LINE}, {@link #TOO_LONG} or {@link #EOF}. */
        int next(ByteArrayOutputStream out) throws IOException {
            boolean any = false;
            boolean tooLong = false;
            while (true) {
                if (pos == len) {
                    len = in.read(buf);
                    pos = 0;
                    if (len <= 0) {
                        len = 0;
                        return any ? (tooLong ? TOO_LONG : LINE) : EOF;
                    }
                }
                any = true;
                int start = pos;
                while (pos < len && buf[pos] != '\n') {
                    pos++;
                }
                int n = pos - start;
                int room = MAX_LINE_BYTES - out.size();
                if (n > room) {
                    tooLong = true;
                }
                out.write(buf, start, Math.min(n, Math.max(0, room)));
                if (pos < len) {
                    pos++;
                    return tooLong ? TOO_LONG : LINE;
                }
            }
        }
    }
}
