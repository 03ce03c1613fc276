package io.rustbucket.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustbucket.core.store.s3.S3ObjectStore;
import io.rustbucket.core.testing.S3MockServer;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The contract over the real S3 wire protocol, against S3Mock in-process; each test gets its own prefix. */
class S3ObjectStoreTest implements ObjectStoreContract {
    @Override
    public ObjectStore store() {
        return S3ObjectStore.open(S3MockServer.config("t-" + UUID.randomUUID() + "/"));
    }

    @Override
    public boolean serverSerialisesConcurrentCreates() {
        return false; // S3Mock's limitation, see the contract; AWS S3 and MinIO answer 412/409 to the losers.
    }

    @Test
    void unreachableServerIsReportedAsUnavailable() {
        StoreConfig.S3 dead = new StoreConfig.S3("b", "us-east-1", "http://127.0.0.1:1", true, "", "k", "s", 2, 2);
        try (ObjectStore store = S3ObjectStore.open(dead)) {
            assertThatThrownBy(() -> store.put("x", new byte[] {1}))
                    .isInstanceOf(StoreUnavailableException.class)
                    .hasMessageContaining("unreachable");
        }
    }

    @Test
    void prefixesIsolateInstallsSharingABucket() {
        ObjectStore a = S3ObjectStore.open(S3MockServer.config("a-" + UUID.randomUUID() + "/"));
        ObjectStore b = S3ObjectStore.open(S3MockServer.config("b-" + UUID.randomUUID() + "/"));
        a.put("same/key", new byte[] {1});
        b.put("same/key", new byte[] {2});
        assertThat(a.getBytes("same/key")).containsExactly(1);
        assertThat(b.listAll("").map(ObjectInfo::key)).containsExactly("same/key");
    }
}
