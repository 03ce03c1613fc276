package io.rustbucket.core.store;

import io.rustbucket.core.store.folder.FolderObjectStore;
import io.rustbucket.core.store.s3.S3ObjectStore;
import java.nio.file.Path;

/** Opens the object store a configuration names. */
public final class ObjectStores {
    private ObjectStores() {}

    public static ObjectStore open(StoreConfig config, Path dataDir) {
        return switch (config.kind()) {
            case FOLDER -> new FolderObjectStore(config.folderPath(dataDir));
            case S3 -> S3ObjectStore.open(config.s3());
        };
    }
}
