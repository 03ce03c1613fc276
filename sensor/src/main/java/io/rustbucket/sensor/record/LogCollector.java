package io.rustbucket.sensor.record;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Appends events as JSON lines to {@code {dir}/sensor.log.YYYY-MM-DD} (the event's UTC day), written to the OS
 * as soon as the writer takes them from the queue (what is queued at that moment goes in one write; after a short
 * batch the writer waits {@link #LINGER_MILLIS} ms so that a flood is written in few large writes). Listeners never
 * wait for the disk: {@link #record} only offers to a bounded queue. Overflow policy:
 * when the queue is full the event is dropped and counted ({@link #overflowed()}), and the count is reported,
 * never silent. After a crash, a torn last line is ended with a newline before appending, so it stays one
 * malformed line instead of corrupting the next event.
 */
public final class LogCollector implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(LogCollector.class);
    public static final String PREFIX = "sensor.log.";
    static final int MAX_BATCH = 1024;
    /** How long the writer waits after a short batch: the most an event waits for the disk because of it. */
    static final long LINGER_MILLIS = 5;

    private final Path dir;
    private final BlockingQueue<SensorEvent> queue;
    private final AtomicLong written = new AtomicLong();
    private final AtomicLong overflowed = new AtomicLong();
    private final Thread writer;
    private volatile boolean running = true;
    private LocalDate openDay;
    private FileChannel channel;

    public LogCollector(Path dir, int queueCapacity) {
        this(dir, queueCapacity, true);
    }

    /** Tests start the writer later, to fill the queue first. */
    LogCollector(Path dir, int queueCapacity, boolean start) {
        this.dir = dir;
        this.queue = new ArrayBlockingQueue<>(queueCapacity);
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create sensor log directory " + dir, e);
        }
        this.writer = Thread.ofPlatform().name("sensor-log-writer").daemon().unstarted(this::loop);
        if (start) {
            writer.start();
        }
    }

    void start() {
        writer.start();
    }

    /** Queues an event for writing; false (and counted) when the queue is full. Never blocks. */
    public boolean record(SensorEvent e) {
        if (queue.offer(e)) {
            return true;
        }
        long n = overflowed.incrementAndGet();
        if (Long.bitCount(n) == 1) { // 1, 2, 4, 8, ...: reported, without a log line per dropped event
            log.warn("sensor log queue full: {} events dropped so far", n);
        }
        return false;
    }

    public long written() {
        return written.get();
    }

    public long overflowed() {
        return overflowed.get();
    }

    public Path directory() {
        return dir;
    }

    public static Path fileFor(Path dir, LocalDate day) {
        return dir.resolve(PREFIX + day);
    }

    /** The day files in a log directory, oldest first; a name that is not {@code sensor.log.} + a date is not ours. */
    public static List<Path> dayFiles(Path dir) throws IOException {
        List<Path> out = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return out;
        }
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, PREFIX + "*")) {
            s.forEach(p -> {
                if (dayOf(p).isPresent()) {
                    out.add(p);
                }
            });
        }
        out.sort(null);
        return out;
    }

    /** The UTC day a log file holds, from its name. */
    public static Optional<LocalDate> dayOf(Path file) {
        try {
            return Optional.of(LocalDate.parse(file.getFileName().toString().substring(PREFIX.length())));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    /**
     * The offset just past the last newline in [from, from + max), or {@code from} when there is none: where the
     * complete lines end (a line still being written, or torn by a crash, is not complete).
     */
    public static long lastCompleteLine(Path file, long from, long max) throws IOException {
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = Math.min(ch.size(), from + max);
            ByteBuffer buf = ByteBuffer.allocate(64 * 1024);
            long pos = size;
            while (pos > from) {
                int n = (int) Math.min(buf.capacity(), pos - from);
                buf.clear().limit(n);
                ch.read(buf, pos - n);
                for (int k = n - 1; k >= 0; k--) {
                    if (buf.get(k) == '\n') {
                        return pos - n + k + 1;
                    }
                }
                pos -= n;
            }
            return from;
        }
    }

    private void loop() {
        List<SensorEvent> batch = new ArrayList<>(MAX_BATCH);
        while (running || !queue.isEmpty()) {
            try {
                SensorEvent first = queue.poll(200, TimeUnit.MILLISECONDS);
                if (first == null) {
                    continue;
                }
                batch.add(first);
                queue.drainTo(batch, MAX_BATCH - 1);
                write(batch);
                if (batch.size() < MAX_BATCH / 4) {
                    // a short batch: let events gather instead of waking for each (under a connection flood the
                    // per-event wake-ups and writes cost the listeners more CPU than the events themselves)
                    Thread.sleep(LINGER_MILLIS);
                }
            } catch (InterruptedException ie) {
                return;
            } catch (IOException | RuntimeException ex) {
                log.error("writing {} sensor events failed; they are lost: {}", batch.size(), ex.getMessage());
            } finally {
                batch.clear();
            }
        }
        closeChannel();
    }

    /** Writes what the queue held in one system call per day file: under a flood, a write per event would not keep up. */
    private void write(List<SensorEvent> events) throws IOException {
        StringBuilder buf = new StringBuilder(events.size() * 400);
        LocalDate bufDay = null;
        for (SensorEvent e : events) {
            long epochDay = Math.floorDiv(e.timestamp().getEpochSecond(), 86_400);
            LocalDate day = bufDay != null && bufDay.toEpochDay() == epochDay ? bufDay : LocalDate.ofEpochDay(epochDay);
            if (openDay != null && day.isBefore(openDay)) {
                day = openDay; // queued just before midnight: never reopen a file the shipper may have finished
            }
            if (bufDay != null && !day.equals(bufDay)) {
                flush(buf, bufDay);
            }
            bufDay = day;
            e.appendJson(buf);
            buf.append('\n');
        }
        flush(buf, bufDay);
        written.addAndGet(events.size());
    }

    private void flush(StringBuilder buf, LocalDate day) throws IOException {
        if (buf.isEmpty()) {
            return;
        }
        if (!day.equals(openDay)) {
            closeChannel();
            channel = open(fileFor(dir, day));
            openDay = day;
        }
        ByteBuffer b = ByteBuffer.wrap(buf.toString().getBytes(StandardCharsets.UTF_8));
        while (b.hasRemaining()) {
            channel.write(b);
        }
        buf.setLength(0);
    }

    /** Opens for appending; ends a torn last line (a crash mid-write) with a newline first. */
    static FileChannel open(Path file) throws IOException {
        boolean torn = false;
        if (Files.exists(file)) {
            try (FileChannel read = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = read.size();
                if (size > 0) {
                    ByteBuffer last = ByteBuffer.allocate(1);
                    read.read(last, size - 1);
                    torn = last.get(0) != '\n';
                }
            }
        }
        FileChannel ch =
                FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        if (torn) {
            ch.write(ByteBuffer.wrap(new byte[] {'\n'}));
        }
        return ch;
    }

    private void closeChannel() {
        if (channel != null) {
            try {
                channel.force(false);
                channel.close();
            } catch (IOException e) {
                log.warn("closing sensor log failed: {}", e.getMessage());
            }
            channel = null;
            openDay = null;
        }
    }

    /** Writes what is queued, then closes. */
    @Override
    public void close() {
        running = false;
        try {
            writer.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
