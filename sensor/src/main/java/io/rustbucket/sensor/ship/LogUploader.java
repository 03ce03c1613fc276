package io.rustbucket.sensor.ship;

import io.rustbucket.core.store.ObjectExistsException;
import io.rustbucket.core.store.ObjectStore;
import io.rustbucket.core.store.StoreException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Puts one compressed batch into the object store, create-only. An object already there under the batch's key
 * means an earlier attempt succeeded before the sensor could note it (a crash): that counts as shipped, so a
 * retry never duplicates.
 */
public final class LogUploader {
    private final ObjectStore store;

    public LogUploader(ObjectStore store) {
        this.store = store;
    }

    /** @return true when the batch is in the store (now or already); false when the store failed (retry later) */
    public boolean upload(String key, Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            store.put(key, in, Files.size(file));
            return true;
        } catch (ObjectExistsException e) {
            return true;
        } catch (StoreException e) {
            return false;
        }
    }
}
