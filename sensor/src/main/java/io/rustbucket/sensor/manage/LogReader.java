package io.rustbucket.sensor.manage;

import io.rustbucket.sensor.record.LogCollector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

/**
 * Pages through the sensor's log files for {@code /extract_logs}: complete lines only, at most a given size per
 * page, with a cursor {@code YYYY-MM-DD:offset} that names where the next page starts. Reading changes nothing.
 */
public final class LogReader {
    /** One page: its lines, the cursor after them, and whether more lines follow. */
    public record Page(byte[] lines, String next, boolean more) {}

    private final Path dir;

    public LogReader(Path dir) {
        this.dir = dir;
    }

    /**
     * @param since a cursor from an earlier page; null or blank = from the oldest line kept
     * @throws IllegalArgumentException when the cursor is malformed
     */
    public Page read(String since, int maxBytes) throws IOException {
        List<Path> files = LogCollector.dayFiles(dir);
        String day = null;
        long offset = 0;
        if (since != null && !since.isBlank()) {
            int colon = since.indexOf(':');
            if (colon != 10) {
                throw new IllegalArgumentException("cursor must look like YYYY-MM-DD:offset");
            }
            day = since.substring(0, colon);
            try {
                java.time.LocalDate.parse(day);
                offset = Long.parseLong(since.substring(colon + 1));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("cursor must look like YYYY-MM-DD:offset");
            }
            if (offset < 0) {
                throw new IllegalArgumentException("cursor offset must not be negative");
            }
        }
        int i = 0;
        if (day != null) {
            String name = LogCollector.PREFIX + day;
            while (i < files.size() && files.get(i).getFileName().toString().compareTo(name) < 0) {
                i++;
            }
            if (i < files.size() && !files.get(i).getFileName().toString().equals(name)) {
                offset = 0; // that day's file is gone: continue with the next one kept
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        String next = since == null || since.isBlank() ? "" : since;
        while (i < files.size()) {
            Path f = files.get(i);
            String fileDay = f.getFileName().toString().substring(LogCollector.PREFIX.length());
            long size = Files.size(f);
            if (offset < size) {
                long end = readLines(f, offset, maxBytes - out.size(), out, out.size() == 0);
                next = fileDay + ":" + end;
                if (LogCollector.lastCompleteLine(f, end, size - end) > end) {
                    return new Page(out.toByteArray(), next, true); // page full
                }
                offset = end;
            } else {
                next = fileDay + ":" + Math.min(offset, size);
            }
            if (i + 1 < files.size()) {
                i++;
                offset = 0;
                if (out.size() >= maxBytes) {
                    return new Page(out.toByteArray(), next, true);
                }
            } else {
                break;
            }
        }
        return new Page(out.toByteArray(), next, false);
    }

    /** Appends whole lines from {@code from} while they fit (the first always fits); returns where it stopped. */
    private static long readLines(Path f, long from, int room, ByteArrayOutputStream out, boolean first)
            throws IOException {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            long size = ch.size();
            long want = Math.min(size - from, Math.max(room, 0) + (first ? 16L << 20 : 0));
            ByteBuffer buf = ByteBuffer.allocate((int) Math.min(want, Integer.MAX_VALUE - 16));
            ch.read(buf, from);
            byte[] b = buf.array();
            int n = buf.position();
            int lastNl = -1;
            for (int k = 0; k < n; k++) {
                if (b[k] == '\n') {
                    if (k + 1 > room && !(first && lastNl < 0)) {
                        break;
                    }
                    lastNl = k;
                }
            }
            if (lastNl < 0) {
                return from;
            }
            out.write(b, 0, lastNl + 1);
            return from + lastNl + 1;
        }
    }
}
