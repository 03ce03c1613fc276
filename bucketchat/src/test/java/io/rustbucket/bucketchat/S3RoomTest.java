package io.rustbucket.bucketchat;

import io.rustbucket.core.store.ObjectStore;
import io.rustbucket.core.store.s3.S3ObjectStore;
import io.rustbucket.core.testing.S3MockServer;
import java.util.UUID;

/** The whole room suite over the S3 wire protocol (S3Mock in-process). */
class S3RoomTest implements RoomContract {
    @Override
    public ObjectStore store() {
        return S3ObjectStore.open(S3MockServer.config("chat-" + UUID.randomUUID() + "/"));
    }
}
