package io.rustbucket.core.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rustbucket.core.sql.Database;
import io.rustbucket.core.testing.FakeModelServer;
import io.rustbucket.core.testing.FakeModelServer.Reply;
import io.rustbucket.core.testing.TestClock;
import io.rustbucket.core.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Model usage per user, written to each supported database, surviving a failed write and concurrent calls. */
class UsageLedgerTest {
    enum Vendor {
        H2(TestDatabase::h2),
        POSTGRES(TestDatabase::postgres),
        MARIADB(TestDatabase::mysql);

        final Supplier<TestDatabase> open;

        Vendor(Supplier<TestDatabase> open) {
            this.open = open;
        }
    }

    static final LocalDate DAY = LocalDate.parse("2026-05-01");

    @TempDir
    Path data;

    TestClock clock = new TestClock(Instant.parse("2026-05-01T23:59:00Z"));
    TestDatabase server;
    Database db;
    LlmGateway gateway;
    FakeModelServer model;

    private UsageLedger open(Vendor vendor) {
        server = vendor.open.get();
        db = Database.open(server.config(), data, clock);
        db.migrate("core");
        return new UsageLedger(db, clock);
    }

    @AfterEach
    void close() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (model != null) {
            model.close();
        }
        if (db != null) {
            db.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void callsThroughTheGatewayAreCountedPerUserCallerModelAndDay(Vendor vendor) throws Exception {
        UsageLedger ledger = open(vendor);
        model = new FakeModelServer();
        ModelConfig remote = new ModelConfig(ModelConfig.Provider.OPENAI, "gpt", model.baseUrl(), "sk", 5, 64, 0.2, 4);
        gateway = new LlmGateway(
                new LlmConfig("offline", 4, Map.of("remote", remote)),
                Map.of(),
                clock,
                new SimpleMeterRegistry(),
                ledger);
        LlmRequest ask = LlmRequest.of(List.of(LlmMessage.user("hello there")));

        model.enqueue(Reply.stream(
                "text/event-stream",
                List.of(FakeModelServer.openAiStream(List.of("hi"), "stop", 11, 7)),
                Duration.ZERO));
        model.enqueue(Reply.error(500, Map.of(), "{\"error\":{\"message\":\"down\"}}"));
        gateway.complete("assistant:u1", "remote", ask);
        assertThatThrownBy(() -> gateway.complete("assistant:u1", "remote", ask))
                .isInstanceOf(LlmException.class);
        LlmResult offline = gateway.complete("openai-api:u1", "offline", ask);
        gateway.complete("sensor", "offline", ask);
        clock.advance(Duration.ofMinutes(2)); // past midnight: a new day's row
        LlmResult tomorrow = gateway.complete("assistant:u2", "offline", ask);

        List<UsageLedger.Row> u1 = ledger.rows(DAY, DAY.plusDays(1), "u1");
        assertThat(u1)
                .containsExactly(
                        new UsageLedger.Row(DAY, "assistant", "u1", "remote", 2, 1, 11, 7),
                        new UsageLedger.Row(
                                DAY,
                                "openai-api",
                                "u1",
                                "offline",
                                1,
                                0,
                                offline.usage().inputTokens(),
                                offline.usage().outputTokens()));
        List<UsageLedger.Row> all = ledger.rows(DAY, DAY.plusDays(1), null);
        assertThat(all).hasSize(4);
        assertThat(all.getFirst())
                .isEqualTo(new UsageLedger.Row(
                        DAY.plusDays(1),
                        "assistant",
                        "u2",
                        "offline",
                        1,
                        0,
                        tomorrow.usage().inputTokens(),
                        tomorrow.usage().outputTokens()));
        assertThat(all)
                .anySatisfy(r -> assertThat(r.caller() + "/" + r.userId()).isEqualTo("sensor/"));
        assertThat(ledger.rows(DAY.plusDays(1), DAY.plusDays(1), "u1")).isEmpty();

        // Written, not held in memory: a new process's ledger reads the same rows, and adds to them.
        UsageLedger restarted = new UsageLedger(db, clock);
        assertThat(restarted.rows(DAY, DAY.plusDays(1), null)).isEqualTo(all);
        restarted.record("assistant:u2", "offline", false, 5, 5);
        assertThat(restarted
                        .rows(DAY.plusDays(1), DAY.plusDays(1), "u2")
                        .getFirst()
                        .calls())
                .isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Vendor.class)
    void aFailedWriteKeepsTheCountsForTheNextFlush(Vendor vendor) {
        UsageLedger ledger = open(vendor);
        ledger.record("assistant:u1", "m", false, 10, 20);
        db.useHandle(h -> h.execute("ALTER TABLE llm_usage RENAME TO llm_usage_away"));
        ledger.record("assistant:u1", "m", false, 1, 2);
        assertThat(ledger.flush()).isFalse();
        ledger.record("assistant:u1", "m", true, 0, 0);
        assertThat(ledger.flush()).isFalse();
        db.useHandle(h -> h.execute("ALTER TABLE llm_usage_away RENAME TO llm_usage"));
        assertThat(ledger.flush()).isTrue();
        assertThat(ledger.rows(DAY, DAY, "u1"))
                .containsExactly(new UsageLedger.Row(DAY, "assistant", "u1", "m", 3, 1, 11, 22));
    }

    @ParameterizedTest
    @EnumSource(value = Vendor.class, names = "H2")
    void countsRecordedWhileFlushingAreNeitherLostNorCountedTwice(Vendor vendor) throws Exception {
        UsageLedger ledger = open(vendor);
        int threads = 8;
        int each = 5_000;
        ExecutorService pool = Executors.newFixedThreadPool(threads + 1);
        try {
            List<Future<?>> callers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                String caller = "assistant:u" + (t % 3);
                callers.add(pool.submit(() -> {
                    for (int i = 0; i < each; i++) {
                        ledger.record(caller, "m", false, 1, 2);
                    }
                }));
            }
            Future<?> flusher = pool.submit(() -> {
                while (callers.stream().anyMatch(f -> !f.isDone())) {
                    ledger.flush();
                }
            });
            for (Future<?> f : callers) {
                f.get(30, TimeUnit.SECONDS);
            }
            flusher.get(30, TimeUnit.SECONDS);
        } finally {
            pool.shutdownNow();
        }
        List<UsageLedger.Row> rows = ledger.rows(DAY, DAY, null);
        assertThat(rows.stream().mapToLong(UsageLedger.Row::calls).sum()).isEqualTo((long) threads * each);
        assertThat(rows.stream().mapToLong(UsageLedger.Row::outputTokens).sum()).isEqualTo(2L * threads * each);
        assertThat(UsageLedger.perUserAndModel(rows)).hasSize(3);
    }
}
