package io.rustbucket.sensor.ship;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.rustbucket.core.json.Json;
import io.rustbucket.sensor.record.LogCollector;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships the sensor's log lines in batches (specs/sensor.md, "Log files and shipping"), exactly once whatever
 * happens to the process:
 *
 * <ol>
 *   <li>complete lines after the shipped cursor are gzipped into {@code outbox/} (fsynced);
 *   <li>the state file (cursor + pending batches) is replaced atomically: this is the commit point, so a crash
 *       before it leaves an uncommitted outbox file that is deleted and re-cut, never uploaded;
 *   <li>each pending batch is uploaded create-only; an existing object counts as shipped (an upload that
 *       succeeded just before a crash), so a retry never duplicates;
 *   <li>only then is the batch removed from the state and the outbox.
 * </ol>
 *
 * A failed upload stays pending and is retried at the next interval. Local files are then trimmed by age and
 * total size, shipped files only.
 */
public final class LogBatcher {
    private static final Logger log = LoggerFactory.getLogger(LogBatcher.class);
    static final long MAX_BATCH_BYTES = 256L << 20;

    /** The shipping state on disk. */
    record State(
            @JsonProperty("file") String file,
            @JsonProperty("offset") long offset,
            @JsonProperty("last_cut_ms") long lastCutMs,
            @JsonProperty("pending") List<Pending> pending) {
        State {
            pending = pending == null ? List.of() : List.copyOf(pending);
        }
    }

    /** A committed batch waiting for upload: its object key and outbox file name. */
    record Pending(
            @JsonProperty("key") String key,
            @JsonProperty("outbox") String outbox) {}

    private final Path logDir;
    private final Path stateFile;
    private final Path outbox;
    private final String sensor;
    private final String keyPrefix;
    private final LogUploader uploader;
    private final Clock clock;
    private final Duration retentionAge;
    private final long retentionBytes;
    private final AtomicLong shippedBatches = new AtomicLong();
    private final AtomicLong failedUploads = new AtomicLong();

    /** @param keyPrefix e.g. {@code ""}, or the registry's {@code s3_prefix} */
    public LogBatcher(
            Path logDir,
            Path shippingDir,
            String sensor,
            String keyPrefix,
            LogUploader uploader,
            Clock clock,
            Duration retentionAge,
            long retentionBytes) {
        this.logDir = logDir;
        this.stateFile = shippingDir.resolve("state.json");
        this.outbox = shippingDir.resolve("outbox");
        this.sensor = sensor;
        this.keyPrefix = keyPrefix;
        this.uploader = uploader;
        this.clock = clock;
        this.retentionAge = retentionAge;
        this.retentionBytes = retentionBytes;
        try {
            Files.createDirectories(outbox);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + outbox, e);
        }
    }

    public long shippedBatches() {
        return shippedBatches.get();
    }

    public long failedUploads() {
        return failedUploads.get();
    }

    /** One interval: cut a batch of what is complete, upload every pending batch, trim local files. */
    public synchronized void runOnce() throws IOException {
        State state = recover();
        state = cut(state);
        state = uploadPending(state);
        trim(state);
    }

    /** Loads the state and deletes outbox files it does not name (cut but never committed). */
    State recover() throws IOException {
        State state = Files.exists(stateFile)
                ? Json.mapper().readValue(Files.readAllBytes(stateFile), State.class)
                : new State(null, 0, clock.millis(), List.of());
        List<String> named = state.pending().stream().map(Pending::outbox).toList();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(outbox)) {
            for (Path f : files) {
                if (!named.contains(f.getFileName().toString())) {
                    Files.delete(f);
                }
            }
        }
        return state;
    }

    private State cut(State state) throws IOException {
        List<Path> files = LogCollector.dayFiles(logDir);
        if (files.isEmpty()) {
            return state;
        }
        // where shipping stands: the named file, or the first file when nothing was shipped yet
        int index = state.file() == null ? 0 : indexOf(files, state.file());
        long offset = state.file() == null ? 0 : state.offset();
        if (index < 0) {
            // the cursor's file is gone (deleted by hand): resume at the first file after it
            index = firstAfter(files, state.file());
            offset = 0;
            if (index < 0) {
                return state;
            }
        }
        // gather complete lines from the cursor on, over day files, up to the batch cap
        List<long[]> spans = new ArrayList<>(); // per file: index, from, to
        long total = 0;
        int i = index;
        long from = offset;
        while (i < files.size() && total < MAX_BATCH_BYTES) {
            long end = LogCollector.lastCompleteLine(files.get(i), from, MAX_BATCH_BYTES - total);
            if (end > from) {
                spans.add(new long[] {i, from, end});
                total += end - from;
            }
            boolean exhausted = end == Files.size(files.get(i));
            if (!exhausted || i + 1 >= files.size()) {
                break;
            }
            i++;
            from = 0;
        }
        if (total == 0) {
            return state;
        }
        long[] last = spans.get(spans.size() - 1);
        long start = state.lastCutMs();
        long end = Math.max(start + 1, clock.millis());
        String day =
                LocalDate.ofInstant(Instant.ofEpochMilli(end), ZoneOffset.UTC).toString();
        String key =
                keyPrefix + "sensors/" + sensor + "/logs/" + day + "/" + sensor + "_" + start + "_" + end + ".jsonl.gz";
        String name = sensor + "_" + start + "_" + end + ".jsonl.gz";
        Path tmp = outbox.resolve(name + ".part");
        Files.deleteIfExists(tmp);
        try (InputStream lines = concatenated(files, spans)) {
            LogCompressor.compress(lines, total, tmp);
        }
        Files.move(tmp, outbox.resolve(name), StandardCopyOption.ATOMIC_MOVE);
        List<Pending> pending = new ArrayList<>(state.pending());
        pending.add(new Pending(key, name));
        State next = new State(files.get((int) last[0]).getFileName().toString(), last[2], end, pending);
        save(next);
        return next;
    }

    private State uploadPending(State state) throws IOException {
        State current = state;
        for (Pending p : state.pending()) {
            Path file = outbox.resolve(p.outbox());
            boolean ok = !Files.exists(file) || uploader.upload(p.key(), file);
            if (!ok) {
                failedUploads.incrementAndGet();
                log.warn("upload of {} failed; it stays queued for the next interval", p.key());
                continue;
            }
            List<Pending> rest = new ArrayList<>(current.pending());
            rest.remove(p);
            current = new State(current.file(), current.offset(), current.lastCutMs(), rest);
            save(current);
            Files.deleteIfExists(file);
            shippedBatches.incrementAndGet();
        }
        return current;
    }

    /** Deletes shipped log files past the age limit, then oldest shipped first while over the size limit. */
    private void trim(State state) throws IOException {
        if (state.file() == null) {
            return;
        }
        List<Path> files = LogCollector.dayFiles(logDir);
        int shippedUpTo = indexOf(files, state.file()); // files before this one are fully shipped
        long total = 0;
        for (Path f : files) {
            total += Files.size(f);
        }
        LocalDate oldest = LocalDate.ofInstant(clock.instant().minus(retentionAge), ZoneOffset.UTC);
        for (int i = 0; i < shippedUpTo; i++) {
            Path f = files.get(i);
            LocalDate day = LogCollector.dayOf(f).orElse(LocalDate.MAX);
            if (day.isBefore(oldest) || total > retentionBytes) {
                total -= Files.size(f);
                Files.delete(f);
            }
        }
        if (total > retentionBytes) {
            log.warn(
                    "sensor logs use {} bytes, over the {} byte limit, and the rest is not shipped yet",
                    total,
                    retentionBytes);
        }
    }

    private static int indexOf(List<Path> files, String name) {
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).getFileName().toString().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    private static int firstAfter(List<Path> files, String name) {
        for (int i = 0; i < files.size(); i++) {
            if (files.get(i).getFileName().toString().compareTo(name) > 0) {
                return i;
            }
        }
        return -1;
    }

    private static InputStream concatenated(List<Path> files, List<long[]> spans) throws IOException {
        List<InputStream> parts = new ArrayList<>();
        for (long[] s : spans) {
            FileChannel ch = FileChannel.open(files.get((int) s[0]), StandardOpenOption.READ);
            ch.position(s[1]);
            parts.add(limited(new java.io.BufferedInputStream(Channels.newInputStream(ch), 64 * 1024), s[2] - s[1]));
        }
        return new java.io.SequenceInputStream(java.util.Collections.enumeration(parts));
    }

    /** A stream that ends after {@code limit} bytes, so one file's span never runs into lines not in the batch. */
    private static InputStream limited(InputStream in, long limit) {
        return new java.io.FilterInputStream(in) {
            private long left = limit;

            @Override
            public int read() throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int b = super.read();
                left -= b < 0 ? 0 : 1;
                return b;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left <= 0) {
                    return -1;
                }
                int n = super.read(b, off, (int) Math.min(len, left));
                left -= Math.max(n, 0);
                return n;
            }
        };
    }

    private void save(State s) throws IOException {
        Path tmp = stateFile.resolveSibling("state.json.tmp");
        try (FileChannel ch = FileChannel.open(
                tmp, StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE)) {
            ch.write(ByteBuffer.wrap(Json.write(s).getBytes(StandardCharsets.UTF_8)));
            ch.force(true);
        }
        Files.move(tmp, stateFile, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
