package io.rustbucket.sensor.ship;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustbucket.core.store.ObjectInfo;
import io.rustbucket.core.store.ObjectStore;
import io.rustbucket.core.store.folder.FolderObjectStore;
import io.rustbucket.core.testing.FlakyStore;
import io.rustbucket.core.testing.TestClock;
import io.rustbucket.sensor.record.LogCollector;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogBatcherTest {
    @TempDir
    Path dir;

    final TestClock clock = new TestClock(Instant.parse("2026-11-22T10:00:00Z"));
    Path logs;
    FolderObjectStore bucket;
    FlakyStore flaky;

    @BeforeEach
    void setUp() throws IOException {
        logs = Files.createDirectories(dir.resolve("logs"));
        bucket = new FolderObjectStore(dir.resolve("bucket"));
        flaky = new FlakyStore(bucket);
    }

    /** The bucket, failing on demand as an unreachable S3 would. */
    ObjectStore flaky() {
        return flaky;
    }

    LogBatcher batcher() {
        return new LogBatcher(
                logs,
                dir.resolve("shipping"),
                "s1",
                "",
                new LogUploader(flaky()),
                clock,
                Duration.ofDays(14),
                1L << 30);
    }

    void append(LocalDate day, String text) throws IOException {
        Files.writeString(LogCollector.fileFor(logs, day), text, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    List<String> shippedLines() throws IOException {
        List<String> lines = new ArrayList<>();
        for (ObjectInfo o : bucket.listAll("sensors/s1/logs/").toList()) {
            try (InputStream in = new GZIPInputStream(bucket.get(o.key()))) {
                new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().forEach(lines::add);
            }
        }
        return lines;
    }

    @Test
    void shipsCompleteLinesOnceAcrossDaysAndKeepsTornLinesForLater() throws IOException {
        LocalDate d1 = LocalDate.parse("2026-11-21");
        LocalDate d2 = LocalDate.parse("2026-11-22");
        append(d1, "{\"n\":1}\n{\"n\":2}\n");
        append(d2, "{\"n\":3}\n{\"n\":4, \"torn");
        LogBatcher b = batcher();
        b.runOnce();
        assertThat(shippedLines()).containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}");
        List<ObjectInfo> objects = bucket.listAll("sensors/s1/logs/").toList();
        assertThat(objects)
                .singleElement()
                .satisfies(o -> assertThat(o.key()).matches("sensors/s1/logs/2026-11-22/s1_\\d+_\\d+\\.jsonl\\.gz"));
        clock.advance(Duration.ofMinutes(1));
        b.runOnce(); // nothing new: no empty batch
        assertThat(bucket.listAll("sensors/s1/logs/").count()).isEqualTo(1);
        append(d2, "\"}\n{\"n\":5}\n");
        clock.advance(Duration.ofMinutes(1));
        batcher().runOnce(); // a new process resumes from the saved cursor
        assertThat(shippedLines())
                .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":3}", "{\"n\":4, \"torn\"}", "{\"n\":5}");
    }

    @Test
    void aFailedUploadStaysQueuedAndIsRetried() throws IOException {
        append(LocalDate.parse("2026-11-22"), "{\"n\":1}\n");
        flaky.down = true;
        LogBatcher b = batcher();
        b.runOnce();
        assertThat(b.failedUploads()).isEqualTo(1);
        assertThat(bucket.listAll("").count()).isZero();
        assertThat(Files.list(dir.resolve("shipping/outbox")).count()).isEqualTo(1);
        flaky.down = false;
        clock.advance(Duration.ofMinutes(1));
        append(LocalDate.parse("2026-11-22"), "{\"n\":2}\n");
        b.runOnce();
        assertThat(shippedLines()).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(Files.list(dir.resolve("shipping/outbox")).count()).isZero();
    }

    @Test
    void anUploadThatLandedBeforeACrashIsNotDuplicated() throws IOException {
        append(LocalDate.parse("2026-11-22"), "{\"n\":1}\n");
        flaky.down = true;
        batcher().runOnce(); // committed, upload failed: pending
        LogBatcher.State state = batcher().recover();
        LogBatcher.Pending p = state.pending().get(0);
        // the "previous process" did upload it before dying
        bucket.put(p.key(), Files.readAllBytes(dir.resolve("shipping/outbox").resolve(p.outbox())));
        flaky.down = false;
        batcher().runOnce();
        assertThat(shippedLines()).containsExactly("{\"n\":1}");
        // an outbox file the state does not name (crash before commit) is discarded, its lines re-cut once
        Files.writeString(dir.resolve("shipping/outbox/s1_1_2.jsonl.gz"), "garbage");
        append(LocalDate.parse("2026-11-22"), "{\"n\":2}\n");
        clock.advance(Duration.ofMinutes(1));
        batcher().runOnce();
        assertThat(shippedLines()).containsExactly("{\"n\":1}", "{\"n\":2}");
        assertThat(Files.exists(dir.resolve("shipping/outbox/s1_1_2.jsonl.gz"))).isFalse();
    }

    @Test
    void shippedFilesPastRetentionAreDeleted() throws IOException {
        append(LocalDate.parse("2026-10-01"), "{\"old\":1}\n");
        append(LocalDate.parse("2026-11-22"), "{\"new\":1}\n");
        batcher().runOnce();
        assertThat(Files.exists(LogCollector.fileFor(logs, LocalDate.parse("2026-10-01"))))
                .isFalse();
        assertThat(Files.exists(LogCollector.fileFor(logs, LocalDate.parse("2026-11-22"))))
                .isTrue();
        assertThat(shippedLines()).containsExactly("{\"old\":1}", "{\"new\":1}");
    }
}
