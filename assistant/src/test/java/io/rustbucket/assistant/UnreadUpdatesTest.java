package io.rustbucket.assistant;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class UnreadUpdatesTest {
    /** A stream as the counter sees it: what it was sent. */
    static final class Tab implements UnreadUpdates.Reader {
        final String user;
        final List<String> frames = new CopyOnWriteArrayList<>();
        volatile boolean open = true;

        Tab(String user) {
            this.user = user;
        }

        @Override
        public String userId() {
            return user;
        }

        @Override
        public boolean open() {
            return open;
        }

        @Override
        public void send(byte[] frame) {
            frames.add(new String(frame, StandardCharsets.UTF_8));
        }

        String last() {
            return frames.getLast();
        }
    }

    @Test
    void theTabsOfOneUserShareOneCountAndEachUserGetsTheirOwn() throws Exception {
        Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
        CountDownLatch release = new CountDownLatch(1);
        UnreadUpdates updates = new UnreadUpdates(
                (user, root) -> {
                    queries.computeIfAbsent(user, u -> new AtomicInteger()).incrementAndGet();
                    await(release);
                    return user.equals("alice") ? 3 : 7;
                },
                () -> 1000L);
        Tab first = new Tab("alice");
        updates.changed("r1", first); // the worker starts and waits in its first count
        awaitUntil(() -> queries.containsKey("alice"));
        // While it counts, 100 tabs of alice and one of bob ask: the next round counts each user once.
        List<Tab> alice = java.util.stream.IntStream.range(0, 100)
                .mapToObj(i -> new Tab("alice"))
                .toList();
        alice.forEach(t -> updates.changed("r1", t));
        Tab bob = new Tab("bob");
        updates.changed("r1", bob);
        release.countDown();
        awaitUntil(() -> alice.stream().allMatch(t -> t.frames.size() == 1) && bob.frames.size() == 1);

        assertThat(queries.get("alice").get()).isEqualTo(2); // the first round, then one for the 100 tabs
        assertThat(queries.get("bob").get()).isEqualTo(1);
        assertThat(first.last()).contains("event: unread.update").contains("\"unread\":3");
        assertThat(alice.getLast().last()).contains("\"root_id\":\"r1\"").contains("\"unread\":3");
        assertThat(bob.last()).contains("\"unread\":7").contains("id: r1:-:-:1000");
    }

    @Test
    void aChangeDuringACountIsCountedAgainSoTheLastFrameHasTheLatestCount() throws Exception {
        AtomicLong unread = new AtomicLong(1);
        CountDownLatch counting = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        AtomicInteger calls = new AtomicInteger();
        UnreadUpdates updates = new UnreadUpdates(
                (user, root) -> {
                    long n = unread.get();
                    if (calls.incrementAndGet() == 1) {
                        counting.countDown();
                        await(release);
                    }
                    return n;
                },
                () -> 0L);
        Tab tab = new Tab("alice");
        updates.changed("r1", tab);
        assertThat(counting.await(5, TimeUnit.SECONDS)).isTrue();
        unread.set(2); // a new message while the first count (which read 1) is under way
        updates.changed("r1", tab);
        release.countDown();
        awaitUntil(() -> tab.frames.size() == 2);
        assertThat(tab.frames.get(0)).contains("\"unread\":1");
        assertThat(tab.last()).contains("\"unread\":2");
    }

    @Test
    void endedTabsCostNoQueryAndAFailedCountComesAgainWithTheNextChange() throws Exception {
        AtomicInteger calls = new AtomicInteger();
        UnreadUpdates updates = new UnreadUpdates(
                (user, root) -> {
                    if (calls.incrementAndGet() == 1) {
                        throw new IllegalStateException("database unavailable");
                    }
                    return 4;
                },
                () -> 0L);
        Tab gone = new Tab("carol");
        gone.open = false;
        updates.changed("r1", gone);
        Tab tab = new Tab("alice");
        updates.changed("r2", tab); // fails: nothing sent
        awaitUntil(() -> calls.get() == 1);
        Thread.sleep(100);
        assertThat(tab.frames).isEmpty();
        updates.changed("r2", tab);
        awaitUntil(() -> tab.frames.size() == 1);
        assertThat(tab.last()).contains("\"unread\":4");
        assertThat(calls.get()).isEqualTo(2); // carol's ended tab was never counted
        assertThat(gone.frames).isEmpty();
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void awaitUntil(java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 5 s");
            }
            Thread.sleep(5);
        }
    }
}
