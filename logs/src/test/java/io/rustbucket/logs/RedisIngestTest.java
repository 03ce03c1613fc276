package io.rustbucket.logs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustbucket.core.auth.AuthConfig;
import io.rustbucket.core.auth.PasswordHasher;
import io.rustbucket.core.llm.LlmConfig;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.core.store.StoreConfig;
import io.rustbucket.core.testing.TestDatabase;
import io.rustbucket.core.testing.TestEnv;
import io.rustbucket.logs.index.LogQuery;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The log platform configured with the Redis Streams queue: accepted events become searchable. */
class RedisIngestTest {
    @TempDir
    Path data;

    @Test
    void ingestThroughRedisBecomesSearchable() {
        String url = TestEnv.require("RUSTBUCKET_TEST_REDIS_URL", "Redis");
        String stream = "test:ingest:" + UUID.randomUUID();
        try (TestDatabase db = TestDatabase.h2();
                CoreServices core = CoreServices.open(
                        data,
                        db.config(),
                        StoreConfig.defaults(),
                        AuthConfig.defaults(),
                        LlmConfig.defaults(),
                        Map.of(),
                        new PasswordHasher(1024, 1),
                        Clock.systemUTC());
                LogPlatform logs = LogPlatform.start(
                        core,
                        new LogsConfig(
                                null,
                                7,
                                1000,
                                null,
                                200,
                                null,
                                LogsConfig.QueueKind.REDIS,
                                new LogsConfig.Redis(url, stream, "indexers", 3, 5),
                                null))) {
            var r = logs.ingest(
                    "[{\"service.name\":\"redis\",\"message\":\"via stream 1\"},{\"service.name\":\"redis\",\"message\":\"via stream 2\"}]"
                            .getBytes(StandardCharsets.UTF_8),
                    "application/json");
            assertThat(r.accepted()).isEqualTo(2);
            await().atMost(Duration.ofSeconds(5))
                    .until(() -> logs.search(new LogQuery("", Map.of("service.name", "redis"), null, null, 10, null))
                                    .total()
                            == 2);
            await().atMost(Duration.ofSeconds(3)).until(() -> logs.queueDepth() == 0);
        }
    }
}
