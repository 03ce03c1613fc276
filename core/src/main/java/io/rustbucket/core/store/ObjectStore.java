package io.rustbucket.core.store;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * An object store whose writes are create-only: the bucket is the source of truth, and nothing in it is ever
 * overwritten. Keys are validated by {@link ObjectKeys}. Implementations are thread-safe.
 */
public interface ObjectStore extends AutoCloseable {
    /** Objects listed per page when a caller does not say. */
    int DEFAULT_PAGE_SIZE = 1000;

    /**
     * Creates an object from a stream of exactly {@code lengthBytes} bytes.
     *
     * @throws ObjectExistsException if an object with this key exists (it is left untouched)
     * @throws InvalidKeyException if the key is not a valid object key
     * @throws StoreUnavailableException if the store cannot be reached after retries
     */
    ObjectInfo put(String key, InputStream data, long lengthBytes);

    /** Creates an object from bytes; same rules as {@link #put(String, InputStream, long)}. */
    default ObjectInfo put(String key, byte[] data) {
        return put(key, new ByteArrayInputStream(data), data.length);
    }

    /**
     * Opens an object for streaming; the caller closes the stream.
     *
     * @throws ObjectNotFoundException if there is no such object
     */
    InputStream get(String key);

    /** Reads a whole object; for small objects only (metadata, key files). */
    default byte[] getBytes(String key) {
        try (InputStream in = get(key)) {
            return in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new StoreUnavailableException("reading " + key + " failed", e);
        }
    }

    /**
     * Lists objects whose key starts with {@code prefix}, in ascending key order (by UTF-8 bytes).
     *
     * @param startAfter return only keys greater than this one; null or empty = from the start
     * @param limit at most this many objects (1..1000)
     */
    ObjectPage list(String prefix, String startAfter, int limit);

    /** Lists every object under a prefix lazily, page by page, in key order. */
    default Stream<ObjectInfo> listAll(String prefix) {
        Iterator<ObjectInfo> it = new Iterator<>() {
            private ObjectPage page = list(prefix, null, DEFAULT_PAGE_SIZE);
            private int index;

            @Override
            public boolean hasNext() {
                while (index >= page.objects().size()) {
                    if (page.nextStartAfter().isEmpty()) {
                        return false;
                    }
                    page = list(prefix, page.nextStartAfter().get(), DEFAULT_PAGE_SIZE);
                    index = 0;
                }
                return true;
            }

            @Override
            public ObjectInfo next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                return page.objects().get(index++);
            }
        };
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(it, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /** Tells whether an object exists. */
    default boolean exists(String key) {
        return stat(key).isPresent();
    }

    /** Returns size, etag and modification time of an object, or empty if it does not exist. */
    Optional<ObjectInfo> stat(String key);

    /**
     * Deletes an object. Only retention jobs call this; deleting a missing object is not an error.
     */
    void delete(String key);

    /** One line for logs and start-up output, without secrets (e.g. {@code folder /data/store}). */
    String describe();

    @Override
    default void close() {}
}
