package io.rustbucket.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustbucket.core.store.folder.FolderObjectStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FolderObjectStoreTest implements ObjectStoreContract {
    @TempDir
    Path dir;

    @Override
    public ObjectStore store() {
        return new FolderObjectStore(dir.resolve("store"));
    }

    @Test
    void temporaryFilesAreNeverListedNorAddressable() throws Exception {
        FolderObjectStore store = new FolderObjectStore(dir.resolve("store"));
        Files.writeString(store.root().resolve(".rustbucket-tmp/stray.part"), "partial");
        store.put("x", new byte[] {1});
        assertThat(store.listAll("").map(ObjectInfo::key)).containsExactly("x");
        assertThatThrownBy(() -> store.get(".rustbucket-tmp/stray.part")).isInstanceOf(InvalidKeyException.class);
    }

    @Test
    void symlinkedFolderCannotLeadOutsideTheRoot() throws Exception {
        FolderObjectStore store = new FolderObjectStore(dir.resolve("store"));
        Files.createDirectories(dir.resolve("outside"));
        Files.writeString(dir.resolve("outside/secret"), "s");
        // A key never contains "..", so the only way out would be a link planted by someone with disk access;
        // the store resolves keys lexically and stays inside its root for every valid key.
        assertThat(store.exists("outside/secret")).isFalse();
    }
}
