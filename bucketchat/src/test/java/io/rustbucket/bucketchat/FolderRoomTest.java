package io.rustbucket.bucketchat;

import io.rustbucket.core.store.ObjectStore;
import io.rustbucket.core.store.folder.FolderObjectStore;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;

class FolderRoomTest implements RoomContract {
    @TempDir
    Path dir;

    @Override
    public ObjectStore store() {
        return new FolderObjectStore(dir.resolve("bucket"));
    }
}
