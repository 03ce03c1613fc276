package io.rustbucket.registry.poll;

import io.rustbucket.registry.RegistryConfig;
import io.rustbucket.registry.archive.Archive;
import io.rustbucket.registry.sensors.RegisteredSensor;
import io.rustbucket.registry.sensors.SensorStatus;
import io.rustbucket.registry.sensors.Sensors;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HexFormat;
import java.util.zip.GZIPOutputStream;

/**
 * The "pull logs" job: pages {@code GET /extract_logs?since=<cursor>} from every Active sensor until
 * {@code X-Log-More: false}. Each page streams into a gzip spool file (memory stays bounded whatever the sensor
 * sends), is stored create-only in the archive, and only then does the sensor's cursor advance: if the store or
 * the database fails, the next cycle asks for the same page again and nothing is lost. A sensor that sends no
 * cursor (older sensors return their whole log) is archived as one object named by its content hash.
 */
public final class LogPuller {
    private final Sensors sensors;
    private final SensorClient client;
    private final Archive archive;
    private final RegistryConfig config;
    private final Path spool;
    private final Clock clock;

    public LogPuller(
            Sensors sensors, SensorClient client, Archive archive, RegistryConfig config, Path spool, Clock clock) {
        this.sensors = sensors;
        this.client = client;
        this.archive = archive;
        this.config = config;
        this.spool = spool;
        this.clock = clock;
    }

    public Cycle.Report run() {
        return Cycle.run("pull-logs", sensors.withStatus(SensorStatus.ACTIVE), config.pollConcurrency(), this::pull);
    }

    /** Pulls one sensor's new pages; returns how many pages were archived. */
    int pull(RegisteredSensor s) throws SensorCallException, IOException {
        String key = sensors.pollKey(s.id());
        String cursor = s.logCursor();
        int archived = 0;
        Files.createDirectories(spool);
        for (int page = 0; page < config.maxPagesPerPull(); page++) {
            Path file = Files.createTempFile(spool, s.id() + "-", ".jsonl.gz");
            try {
                Counting counted;
                SensorClient.Response r;
                MessageDigest sha = sha256();
                try (OutputStream gz = new GZIPOutputStream(Files.newOutputStream(file), 64 * 1024)) {
                    counted = new Counting(new DigestOutputStream(gz, sha));
                    String path = "/extract_logs"
                            + (cursor == null ? "" : "?since=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
                    r = client.get(
                            s, key, path, Duration.ofSeconds(config.logTimeoutSecs()), config.maxPageBytes(), counted);
                } catch (SensorCallException e) {
                    sensors.pollFailed(s.id(), "log pull: " + e.getMessage());
                    throw e;
                }
                boolean legacy = r.logCursor() == null;
                String next = legacy ? null : r.logCursor();
                if (counted.bytes > 0) {
                    String from = cursor == null ? "start" : cursor;
                    String to = legacy
                            ? "sha256-" + HexFormat.of().formatHex(sha.digest()).substring(0, 32)
                            : next;
                    String objectKey =
                            Archive.pulledKey(s.id(), LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), from, to);
                    archive.storePulled(s, objectKey, file, counted.lines + (counted.endsOpen ? 1 : 0));
                    archived++;
                }
                sensors.advanceCursor(s.id(), next);
                cursor = next;
                if (legacy || !Boolean.TRUE.equals(r.logMore()) || counted.bytes == 0) {
                    return archived;
                }
            } finally {
                Files.deleteIfExists(file);
            }
        }
        return archived;
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Counts bytes and lines on their way to the spool file. */
    static final class Counting extends FilterOutputStream {
        long bytes;
        long lines;
        boolean endsOpen;

        Counting(OutputStream out) {
            super(out);
        }

        @Override
        public void write(int b) throws IOException {
            out.write(b);
            count(b);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
            for (int i = off; i < off + len; i++) {
                count(b[i]);
            }
        }

        private void count(int b) {
            bytes++;
            if (b == '\n') {
                lines++;
                endsOpen = false;
            } else {
                endsOpen = true;
            }
        }
    }
}
