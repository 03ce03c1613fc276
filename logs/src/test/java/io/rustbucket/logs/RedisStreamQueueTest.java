package io.rustbucket.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.lettuce.core.RedisClient;
import io.lettuce.core.api.StatefulRedisConnection;
import io.rustbucket.core.testing.TestEnv;
import io.rustbucket.logs.ecs.LogEvent;
import io.rustbucket.logs.index.LogIndexContract;
import io.rustbucket.logs.queue.IngestQueue;
import io.rustbucket.logs.queue.RedisStreamQueue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The Redis Streams queue against the real Redis of RUSTBUCKET_TEST_REDIS_URL (skipped locally, required in CI). */
class RedisStreamQueueTest {
    String url;
    String stream;
    final List<RedisStreamQueue> opened = new ArrayList<>();

    @BeforeEach
    void setUp() {
        url = TestEnv.require("RUSTBUCKET_TEST_REDIS_URL", "Redis");
        stream = "test:logs:" + UUID.randomUUID();
    }

    @AfterEach
    void tearDown() {
        opened.forEach(RedisStreamQueue::close);
        if (url == null) {
            return; // skipped: no Redis configured
        }
        RedisClient c = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> conn = c.connect()) {
            conn.sync().del(stream, stream + ":dead");
        } finally {
            c.shutdown();
        }
    }

    private RedisStreamQueue queue(int capacity, int maxDeliveries, Duration reclaimIdle) {
        RedisStreamQueue q = new RedisStreamQueue(url, stream, "indexers", capacity, maxDeliveries, reclaimIdle);
        opened.add(q);
        return q;
    }

    private static List<LogEvent> events(int n, String tag) {
        List<LogEvent> list = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            list.add(LogIndexContract.at("2026-05-05T10:00:00Z", "svc", "INFO", tag + " " + i, "1.1.1.1"));
        }
        return list;
    }

    @Test
    void eventsRoundTripAndLeaveTheStreamWhenDone() throws Exception {
        RedisStreamQueue q = queue(1000, 5, Duration.ofSeconds(60));
        List<LogEvent> sent = events(10, "rt");
        assertThat(q.offer(sent)).isTrue();
        assertThat(q.depth()).isEqualTo(10);
        IngestQueue.Batch b = q.take(100, Duration.ofSeconds(2));
        assertThat(b.events()).containsExactlyElementsOf(sent);
        q.done(b);
        assertThat(q.depth()).isZero();
    }

    @Test
    void aBatchThatDoesNotFitIsRefusedWhole() {
        RedisStreamQueue q = queue(15, 5, Duration.ofSeconds(60));
        assertThat(q.offer(events(10, "a"))).isTrue();
        assertThat(q.offer(events(6, "b"))).isFalse();
        assertThat(q.depth()).isEqualTo(10);
        assertThat(q.offer(events(5, "c"))).isTrue();
    }

    @Test
    void pendingEntriesOfAKilledConsumerAreReclaimedNothingLost() throws Exception {
        RedisStreamQueue dying = queue(1000, 5, Duration.ofMillis(300));
        dying.offer(events(20, "crash"));
        IngestQueue.Batch inFlight = dying.take(20, Duration.ofSeconds(2));
        assertThat(inFlight.events()).hasSize(20);
        dying.close(); // killed mid-batch: never acknowledged
        opened.remove(dying);

        RedisStreamQueue survivor = queue(1000, 5, Duration.ofMillis(300));
        Set<String> recovered = new HashSet<>();
        await().atMost(Duration.ofSeconds(5)).until(() -> {
            IngestQueue.Batch b = survivor.take(50, Duration.ofMillis(100));
            b.events().forEach(e -> recovered.add(e.message()));
            survivor.done(b);
            return recovered.size() == 20;
        });
        assertThat(survivor.depth()).isZero();
    }

    @Test
    void anEventThatKeepsFailingGoesToTheDeadLetterStream() throws Exception {
        RedisStreamQueue q = queue(1000, 2, Duration.ofMillis(100));
        q.offer(events(1, "poison"));
        // Consumers that take it and die before acknowledging, again and again.
        int takes = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (q.deadLetters() == 0 && System.nanoTime() < deadline) {
            RedisStreamQueue consumer = queue(1000, 2, Duration.ofMillis(100));
            Thread.sleep(150);
            if (!consumer.take(10, Duration.ofMillis(100)).isEmpty()) {
                takes++;
            }
        }
        assertThat(q.deadLetters()).isEqualTo(1);
        assertThat(takes).isBetween(2, 4);
        assertThat(q.depth()).isZero();
    }

    @Test
    void undecodableEntryIsDeadLetteredNotRetried() throws Exception {
        RedisStreamQueue q = queue(1000, 5, Duration.ofSeconds(60));
        RedisClient c = RedisClient.create(url);
        try (StatefulRedisConnection<String, String> conn = c.connect()) {
            conn.sync().xadd(stream, Map.of("e", "{not an event"));
        } finally {
            c.shutdown();
        }
        q.offer(events(1, "fine"));
        IngestQueue.Batch b = q.take(10, Duration.ofSeconds(2));
        assertThat(b.events()).extracting(LogEvent::message).containsExactly("fine 0");
        assertThat(q.deadLetters()).isEqualTo(1);
    }

    @Test
    void twoProcessesShareTheWorkEachEventOnce() throws Exception {
        RedisStreamQueue a = queue(10_000, 5, Duration.ofSeconds(60));
        RedisStreamQueue b = queue(10_000, 5, Duration.ofSeconds(60));
        a.offer(events(300, "shared"));
        Set<String> seenA = new HashSet<>();
        Set<String> seenB = new HashSet<>();
        for (int i = 0; i < 10; i++) {
            IngestQueue.Batch x = a.take(25, Duration.ofMillis(200));
            x.events().forEach(e -> seenA.add(e.message()));
            a.done(x);
            IngestQueue.Batch y = b.take(25, Duration.ofMillis(200));
            y.events().forEach(e -> seenB.add(e.message()));
            b.done(y);
        }
        assertThat(seenA).isNotEmpty().doesNotContainAnyElementsOf(seenB);
        assertThat(seenB).isNotEmpty();
        assertThat(seenA.size() + seenB.size()).isEqualTo(300);
    }
}
