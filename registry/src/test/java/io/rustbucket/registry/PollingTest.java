package io.rustbucket.registry;

import static io.rustbucket.registry.RegistryFixture.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.rustbucket.core.store.ObjectInfo;
import io.rustbucket.core.testing.FlakyStore;
import io.rustbucket.core.testing.TestDatabase;
import io.rustbucket.registry.archive.Archive;
import io.rustbucket.registry.poll.HealthCheck;
import io.rustbucket.registry.poll.LogPuller;
import io.rustbucket.registry.poll.SensorClient;
import io.rustbucket.registry.sensors.RegisteredSensor;
import io.rustbucket.registry.sensors.SensorStatus;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The pollers against sensors on real sockets: pinned HTTPS, legacy HTTP, both answer shapes, and bad sensors. */
class PollingTest {
    RegistryFixture f;
    final List<FakeSensor> fakes = new java.util.ArrayList<>();

    RegistryFixture fixture(Map<String, Object> extra) throws Exception {
        Map<String, Object> c = new HashMap<>(Map.of(
                "update_timeout_secs", 1, "log_timeout_secs", 2, "max_page_bytes", 64 * 1024, "poll_concurrency", 8));
        c.putAll(extra);
        f = new RegistryFixture(TestDatabase.h2(), c);
        return f;
    }

    @AfterEach
    void stop() {
        fakes.forEach(FakeSensor::close);
        if (f != null) {
            f.close();
        }
    }

    /** Registers a fake sensor (pinned when it speaks HTTPS) and makes it Active. */
    String enrol(String name, boolean tls, String fingerprintOverride) throws Exception {
        String key = f.newKey(name);
        FakeSensor fake = tls ? FakeSensor.https(key) : FakeSensor.http(key);
        fakes.add(fake);
        String mgmt = tls
                ? ",\"mgmt_url\":\"" + fake.mgmtUrl() + "\",\"mgmt_cert_sha256\":\""
                        + (fingerprintOverride != null ? fingerprintOverride : fake.fingerprint()) + "\""
                : "";
        String body = "{\"name\":\"" + name + "\",\"ip_address\":\"127.0.0.1\",\"operating_system\":\"linux\","
                + "\"registration_key\":\"" + key + "\"" + mgmt + "}";
        var r = f.register(body);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        String id = json(r).path("id").asText();
        f.registry.sensors().setStatus(id, SensorStatus.ACTIVE, "test");
        return id;
    }

    FakeSensor fake(int i) {
        return fakes.get(i);
    }

    RegisteredSensor sensor(String id) {
        return f.registry.sensors().find(id).orElseThrow();
    }

    long count(String sql) {
        return f.core.database()
                .withHandle(h -> h.createQuery(sql).mapTo(Long.class).one());
    }

    @Test
    void pinnedSensorIsPolledAndItsLogsArePagedIntoTheArchiveThenParsed() throws Exception {
        fixture(Map.of());
        String id = enrol("pinned", true, null);
        fake(0).addEvents("pinned", "s1", 5);
        var status = f.registry.runJob(Registry.Job.PULL_UPDATES);
        assertThat(status.summary()).startsWith("1 sensors, 1 ok");
        assertThat(sensor(id).metrics().cpuUsage()).isEqualTo("12.5%");
        assertThat(sensor(id).lastSeenAt()).isNotNull();

        assertThat(f.registry.runJob(Registry.Job.PULL_LOGS).summary()).startsWith("1 sensors, 1 ok");
        assertThat(fake(0).requests)
                .contains("GET /extract_logs", "GET /extract_logs?since=c2", "GET /extract_logs?since=c4");
        assertThat(sensor(id).logCursor()).isEqualTo("c5");
        List<ObjectInfo> objects =
                f.core.store().listAll(Archive.PULLED + id + "/").toList();
        assertThat(objects).hasSize(3);
        assertThat(objects.get(0).key())
                .matches("registry/" + id + "/\\d{4}-\\d\\d-\\d\\d/" + id + "_[^/]+\\.jsonl\\.gz");

        f.registry.runJob(Registry.Job.PULL_LOGS); // nothing new: one call, nothing stored
        assertThat(f.core.store().listAll(Archive.PULLED).toList()).hasSize(3);
        fake(0).addEvents("pinned", "s2", 3);
        f.registry.runJob(Registry.Job.PULL_LOGS);
        assertThat(f.core.store().listAll(Archive.PULLED).toList()).hasSize(5);

        String parsed = f.registry.runJob(Registry.Job.PARSE).summary();
        assertThat(parsed).contains("objects=5", "events=8", "invalid=0");
        assertThat(count("SELECT COUNT(*) FROM sensor_events")).isEqualTo(8);
        assertThat(count("SELECT COUNT(*) FROM logs")).isEqualTo(5);
        assertThat(count("SELECT COUNT(DISTINCT session_id) FROM sensor_events"))
                .isEqualTo(2);
        assertThat(f.registry.runJob(Registry.Job.PARSE).summary()).contains("objects=0");
    }

    @Test
    void legacySensorOverPlainHttpWithFlatAnswersAndNoCursorIsArchivedOncePerContent() throws Exception {
        // Legacy sensors are polled on one configured port: find a free one, then start the fake there once the
        // registry has issued its key.
        FakeSensor probe = FakeSensor.http("placeholder");
        int port = probe.port();
        probe.close();
        fixture(Map.of("legacy_http_port", port));
        String key = f.newKey("legacy");
        FakeSensor legacy = null;
        for (int attempt = 0; attempt < 20 && legacy == null; attempt++) {
            try {
                legacy = FakeSensor.httpOn(key, port);
            } catch (java.net.BindException e) {
                Thread.sleep(100);
            }
        }
        assertThat(legacy).isNotNull();
        fakes.add(legacy);
        legacy.shape = FakeSensor.Shape.FLAT;
        legacy.cursors = false;
        var r = f.register(RegistrationTest.legacy("legacy", key).replace("198.51.100.20", "127.0.0.1"));
        String id = json(r).path("id").asText();
        f.registry.sensors().setStatus(id, SensorStatus.ACTIVE, "test");
        legacy.addEvents("legacy", "L1", 4);

        f.registry.runJob(Registry.Job.PULL_UPDATES);
        assertThat(sensor(id).metrics().memoryUsage()).isEqualTo("40.0%");
        assertThat(sensor(id).pinned()).isFalse();
        f.registry.runJob(Registry.Job.PULL_LOGS);
        f.registry.runJob(Registry.Job.PULL_LOGS); // same whole log again: same object, not a second one
        assertThat(f.core.store().listAll(Archive.PULLED).toList()).hasSize(1);
        legacy.addEvents("legacy", "L2", 2);
        f.registry.runJob(Registry.Job.PULL_LOGS);
        assertThat(f.core.store().listAll(Archive.PULLED).toList()).hasSize(2);
        assertThat(f.registry.runJob(Registry.Job.PARSE).summary()).contains("objects=2", "events=6", "duplicates=4");
        assertThat(count("SELECT COUNT(*) FROM sensor_events")).isEqualTo(6);
    }

    @Test
    void badSensorsFailAloneWithTheReasonRecordedAndGoodOnesAreStillPolled() throws Exception {
        fixture(Map.of());
        String good = enrol("good", true, null);
        String wrongCert = enrol("wrong-cert", true, "00".repeat(32));
        String hangs = enrol("hangs", true, null);
        String garbage = enrol("garbage", true, null);
        String fails = enrol("fails", true, null);
        fake(2).mode = FakeSensor.Mode.HANG;
        fake(3).shape = FakeSensor.Shape.GARBAGE;
        fake(4).mode = FakeSensor.Mode.FAIL_500;
        long start = System.nanoTime();
        var report = f.registry.runJob(Registry.Job.PULL_UPDATES);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertThat(report.summary()).startsWith("5 sensors, 2 ok, 3 failed");
        assertThat(ms)
                .as("a hanging sensor is cut at its deadline (1 s), polled in parallel")
                .isLessThan(8000);
        assertThat(sensor(good).lastSeenAt()).isNotNull();
        assertThat(sensor(wrongCert).lastSeenAt()).isNull();
        assertThat(sensor(wrongCert).lastError()).contains("does not match the registered");
        assertThat(sensor(hangs).lastError()).contains("timed out after 1 s");
        assertThat(sensor(garbage).lastSeenAt()).as("any 200 is a heartbeat").isNotNull();
        assertThat(sensor(garbage).metrics().cpuUsage()).isNull();
        assertThat(sensor(fails).lastError()).contains("answered 500");
    }

    @Test
    void sensorSendingAnEndlessLogIsCutAtThePageLimitAndItsCursorStays() throws Exception {
        fixture(Map.of());
        String id = enrol("firehose", true, null);
        fake(0).mode = FakeSensor.Mode.ENDLESS;
        Runtime rt = Runtime.getRuntime();
        var report = f.registry.runJob(Registry.Job.PULL_LOGS);
        assertThat(report.summary()).contains("1 failed");
        assertThat(sensor(id).lastError()).contains("larger than 65536 bytes");
        assertThat(sensor(id).logCursor()).isNull();
        assertThat(f.core.store().listAll(Archive.PULLED).toList()).isEmpty();
        assertThat(rt.totalMemory()).isLessThan(1L << 30);
    }

    @Test
    void storeDownDuringAPullLosesNothingAndTheNextCycleContinues() throws Exception {
        fixture(Map.of());
        String id = enrol("flaky-store", true, null);
        fake(0).addEvents("flaky-store", "F", 6);
        FlakyStore store = new FlakyStore(f.core.store());
        Archive archive = new Archive(store, f.core.database(), f.clock);
        var cfg = RegistryFixture.config(Map.of("log_timeout_secs", 2));
        try (SensorClient client = new SensorClient(Duration.ofSeconds(2), 80)) {
            LogPuller puller =
                    new LogPuller(f.registry.sensors(), client, archive, cfg, f.data.resolve("spool"), f.clock);
            store.failAfterPuts = 1; // the second page's put fails
            assertThat(puller.run().summary()).contains("1 failed");
            assertThat(sensor(id).logCursor()).isEqualTo("c2");
            store.failAfterPuts = Integer.MAX_VALUE;
            assertThat(puller.run().summary()).contains("1 ok");
            assertThat(sensor(id).logCursor()).isEqualTo("c6");
        }
        assertThat(f.core.store().listAll(Archive.PULLED).toList()).hasSize(3);
        assertThat(f.registry.runJob(Registry.Job.PARSE).summary()).contains("events=6", "duplicates=0");
    }

    @Test
    void healthCheckRaisesOneAlertForAnUnseenSensorAndResolvesItWhenSeenAgain() throws Exception {
        fixture(Map.of("health_threshold_minutes", 15));
        String id = enrol("sleepy", true, null);
        f.registry.runJob(Registry.Job.PULL_UPDATES);
        assertThat(f.registry.runJob(Registry.Job.HEALTH).summary()).contains("opened=0");
        f.clock.advance(Duration.ofMinutes(16));
        assertThat(f.registry.runJob(Registry.Job.HEALTH).summary()).contains("opened=1");
        assertThat(f.registry.runJob(Registry.Job.HEALTH).summary()).contains("opened=0", "unseen=1");
        assertThat(f.registry.sensors().alerts(id, true, 10)).hasSize(1);
        assertThat(f.registry.sensors().alerts(id, true, 10).get(0).kind()).isEqualTo(HealthCheck.UNSEEN);
        f.registry.runJob(Registry.Job.PULL_UPDATES);
        assertThat(f.registry.runJob(Registry.Job.HEALTH).summary()).contains("resolved=1");
        assertThat(f.registry.sensors().alerts(id, true, 10)).isEmpty();
        assertThat(f.registry.sensors().alerts(id, false, 10).get(0).resolvedAt())
                .isNotNull();
    }

    @Test
    void aJobLeaseIsHeldByOneProcessAtATimeAndExpiresWhenItsHolderDies() throws Exception {
        fixture(Map.of());
        var a = new io.rustbucket.registry.jobs.JobLeases(f.core.database(), f.clock, "process-a");
        var b = new io.rustbucket.registry.jobs.JobLeases(f.core.database(), f.clock, "process-b");
        Optional<io.rustbucket.registry.jobs.JobLeases.Lease> held = a.acquire("parse", Duration.ofMinutes(5), null);
        assertThat(held).isPresent();
        assertThat(b.acquire("parse", Duration.ofMinutes(5), null)).isEmpty();
        assertThat(f.registry.runJob(Registry.Job.PARSE).ran()).isFalse();
        f.clock.advance(Duration.ofMinutes(6)); // a died without releasing
        var taken = b.acquire("parse", Duration.ofMinutes(5), null);
        assertThat(taken).isPresent();
        assertThat(held.get().renew())
                .as("the old holder learns it lost the lease")
                .isFalse();
        taken.get().finish("done");
        assertThat(b.acquire("parse", Duration.ofMinutes(5), Duration.ofMinutes(1)))
                .as("a scheduled run right after a finished one is spaced out")
                .isEmpty();
        assertThat(b.acquire("parse", Duration.ofMinutes(5), null))
                .as("a manual run is not")
                .isPresent();
    }
}
