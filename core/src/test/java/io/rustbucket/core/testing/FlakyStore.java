package io.rustbucket.core.testing;

import io.rustbucket.core.store.ObjectInfo;
import io.rustbucket.core.store.ObjectPage;
import io.rustbucket.core.store.ObjectStore;
import io.rustbucket.core.store.StoreUnavailableException;
import java.io.InputStream;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real store whose writes fail on demand, as an unreachable S3 would: while {@link #down} is set, or once
 * {@link #failAfterPuts} writes have succeeded. Reads always work.
 */
public final class FlakyStore implements ObjectStore {
    private final ObjectStore real;
    private final AtomicInteger puts = new AtomicInteger();
    public volatile boolean down;
    public volatile int failAfterPuts = Integer.MAX_VALUE;

    public FlakyStore(ObjectStore real) {
        this.real = real;
    }

    @Override
    public ObjectInfo put(String key, InputStream data, long lengthBytes) {
        if (down || puts.getAndIncrement() >= failAfterPuts) {
            throw new StoreUnavailableException("store down (test)", null);
        }
        return real.put(key, data, lengthBytes);
    }

    @Override
    public InputStream get(String key) {
        return real.get(key);
    }

    @Override
    public ObjectPage list(String prefix, String startAfter, int limit) {
        return real.list(prefix, startAfter, limit);
    }

    @Override
    public Optional<ObjectInfo> stat(String key) {
        return real.stat(key);
    }

    @Override
    public void delete(String key) {
        real.delete(key);
    }

    @Override
    public String describe() {
        return "flaky " + real.describe();
    }
}
