package io.rustbucket.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Behaviour every object store shares; each backend's test implements {@link #store()} with a fresh store. */
public interface ObjectStoreContract {
    ObjectStore store();

    /**
     * Whether the server behind the store decides concurrent create-only writes atomically. The folder store,
     * AWS S3 and MinIO do; S3Mock 4.x checks If-None-Match before writing without a lock, so two racing writers
     * can both get 200 (measured: 2 winners of 8 on every run). Single-writer create-only is still tested there.
     */
    default boolean serverSerialisesConcurrentCreates() {
        return true;
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    default void putThenGetReturnsTheSameBytes() throws Exception {
        ObjectStore store = store();
        byte[] data = new byte[300_000];
        new java.util.Random(7).nextBytes(data);
        ObjectInfo info = store.put("a/b/c.bin", data);
        assertThat(info.sizeBytes()).isEqualTo(data.length);
        try (InputStream in = store.get("a/b/c.bin")) {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    default void putRefusesToOverwriteAndKeepsTheFirstContent() {
        ObjectStore store = store();
        store.put("logs/one.jsonl", utf8("first"));
        assertThatThrownBy(() -> store.put("logs/one.jsonl", utf8("second"))).isInstanceOf(ObjectExistsException.class);
        assertThat(new String(store.getBytes("logs/one.jsonl"), StandardCharsets.UTF_8))
                .isEqualTo("first");
    }

    @Test
    default void concurrentCreatesOfOneKeyHaveExactlyOneWinner() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                serverSerialisesConcurrentCreates(), "this test server does not serialise conditional writes");
        ObjectStore store = store();
        AtomicInteger wins = new AtomicInteger();
        AtomicInteger losses = new AtomicInteger();
        List<Callable<Void>> writers = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            byte[] body = utf8("writer-" + i);
            writers.add(() -> {
                try {
                    store.put("race/key", body);
                    wins.incrementAndGet();
                } catch (ObjectExistsException e) {
                    losses.incrementAndGet();
                }
                return null;
            });
        }
        try (var pool = Executors.newFixedThreadPool(8)) {
            for (Future<Void> f : pool.invokeAll(writers)) {
                f.get();
            }
        }
        assertThat(wins.get()).isEqualTo(1);
        assertThat(losses.get()).isEqualTo(7);
        assertThat(new String(store.getBytes("race/key"), StandardCharsets.UTF_8))
                .startsWith("writer-");
    }

    @Test
    default void getOfMissingKeyIsNotFound() {
        assertThatThrownBy(() -> store().get("missing/key")).isInstanceOf(ObjectNotFoundException.class);
    }

    @Test
    default void statAndExistsDescribeObjects() {
        ObjectStore store = store();
        store.put("s/x.txt", utf8("hello"));
        ObjectInfo info = store.stat("s/x.txt").orElseThrow();
        assertThat(info.key()).isEqualTo("s/x.txt");
        assertThat(info.sizeBytes()).isEqualTo(5);
        assertThat(info.etag()).isNotBlank();
        assertThat(info.modified()).isNotNull();
        assertThat(store.exists("s/x.txt")).isTrue();
        assertThat(store.exists("s/y.txt")).isFalse();
        assertThat(store.stat("s/y.txt")).isEmpty();
    }

    @Test
    default void listIsSortedByKeyAndPaged() {
        ObjectStore store = store();
        // "a-b" sorts before "a/b" by bytes ('-' < '/'), though a folder walk meets "a/" first.
        List<String> keys = List.of("p/a/b", "p/a-b", "p/a0", "p/z", "p/m/n/o", "q/other");
        keys.forEach(k -> store.put(k, utf8(k)));
        List<String> listed = store.listAll("p/").map(ObjectInfo::key).toList();
        assertThat(listed).containsExactly("p/a-b", "p/a/b", "p/a0", "p/m/n/o", "p/z");

        ObjectPage first = store.list("p/", null, 2);
        assertThat(first.objects()).extracting(ObjectInfo::key).containsExactly("p/a-b", "p/a/b");
        assertThat(first.nextStartAfter()).contains("p/a/b");
        ObjectPage second = store.list("p/", first.nextStartAfter().get(), 2);
        assertThat(second.objects()).extracting(ObjectInfo::key).containsExactly("p/a0", "p/m/n/o");
        ObjectPage last = store.list("p/", second.nextStartAfter().get(), 2);
        assertThat(last.objects()).extracting(ObjectInfo::key).containsExactly("p/z");
        assertThat(last.nextStartAfter()).isEmpty();
    }

    @Test
    default void listWithPartialSegmentPrefixMatchesByString() {
        ObjectStore store = store();
        store.put("rooms/r1/logs/2026-01-01/a.jsonl", utf8("1"));
        store.put("rooms/r1/logs/2026-01-02/b.jsonl", utf8("2"));
        store.put("rooms/r10/logs/2026-01-01/c.jsonl", utf8("3"));
        assertThat(store.listAll("rooms/r1/logs/2026-01-0").map(ObjectInfo::key))
                .containsExactly("rooms/r1/logs/2026-01-01/a.jsonl", "rooms/r1/logs/2026-01-02/b.jsonl");
        assertThat(store.listAll("rooms/r1").count()).isEqualTo(3);
        assertThat(store.listAll("nothing/here/")).isEmpty();
    }

    @Test
    default void listPagesThroughMoreThanOnePageOfObjects() {
        ObjectStore store = store();
        IntStream.range(0, 1205).forEach(i -> store.put(String.format("many/%05d", i), new byte[] {1}));
        assertThat(store.listAll("many/").count()).isEqualTo(1205);
    }

    @Test
    default void keysThatCouldEscapeAreRejected() {
        ObjectStore store = store();
        for (String bad : List.of("", "/etc/passwd", "../x", "a/../../x", "a//b", "a/./b", "a\u0000b", "a\\b", "a/")) {
            assertThatThrownBy(() -> store.put(bad, utf8("x")))
                    .as("key %s", bad)
                    .isInstanceOf(InvalidKeyException.class);
        }
        assertThatThrownBy(() -> store.get("../secret")).isInstanceOf(InvalidKeyException.class);
        assertThatThrownBy(() -> store.list("../", null, 10)).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    default void unicodeKeysRoundTrip() {
        ObjectStore store = store();
        store.put("u/é/日本/😀.txt", utf8("ok"));
        assertThat(store.listAll("u/").map(ObjectInfo::key)).containsExactly("u/é/日本/😀.txt");
        assertThat(store.getBytes("u/é/日本/😀.txt")).isEqualTo(utf8("ok"));
    }

    @Test
    default void deleteRemovesAndToleratesMissing() {
        ObjectStore store = store();
        store.put("old/1", utf8("x"));
        store.delete("old/1");
        store.delete("old/1");
        assertThat(store.exists("old/1")).isFalse();
    }

    @Test
    default void shortStreamIsRejectedAndLeavesNoObject() {
        ObjectStore store = store();
        assertThatThrownBy(() -> store.put("short/1", new ByteArrayInputStream(utf8("abc")), 10))
                .isInstanceOf(StoreException.class);
        assertThat(store.exists("short/1")).isFalse();
    }
}
