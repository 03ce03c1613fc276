package io.rustbucket.registry.sensors;

import static io.rustbucket.core.sql.Rows.instant;

import io.rustbucket.core.auth.SecretBox;
import io.rustbucket.core.sql.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The fleet table and its history: registered sensors, status changes, metric samples, open alerts. */
public final class Sensors {
    /** One status change. */
    public record StatusChange(Instant at, String oldStatus, String newStatus, String actor) {}

    /** One metrics sample from a status poll. */
    public record MetricsSample(Instant at, RegisteredSensor.Metrics metrics) {}

    /** An alert raised about a sensor; open while {@code resolvedAt} is null. */
    public record SensorAlert(
            String id, String sensorId, String kind, Instant openedAt, Instant resolvedAt, String detail) {}

    private final Database db;
    private final Clock clock;
    private final SecretBox secrets;

    public Sensors(Database db, Clock clock, SecretBox secrets) {
        this.db = db;
        this.clock = clock;
        this.secrets = secrets;
    }

    public List<RegisteredSensor> list() {
        return db.withHandle(h -> h.createQuery("SELECT * FROM sensors ORDER BY name, id")
                .map((rs, ctx) -> row(rs))
                .list());
    }

    /** How many sensors have each status (a COUNT, for probes and summaries that need no rows). */
    public java.util.Map<String, Long> countByStatus() {
        java.util.Map<String, Long> m = new java.util.TreeMap<>();
        db.useHandle(h -> h.createQuery("SELECT status, COUNT(*) FROM sensors GROUP BY status")
                .map((rs, ctx) -> java.util.Map.entry(rs.getString(1), rs.getLong(2)))
                .forEach(e -> m.put(e.getKey(), e.getValue())));
        return m;
    }

    public List<RegisteredSensor> withStatus(SensorStatus status) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM sensors WHERE status = :s ORDER BY id")
                .bind("s", status.label())
                .map((rs, ctx) -> row(rs))
                .list());
    }

    public Optional<RegisteredSensor> find(String id) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM sensors WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findOne());
    }

    /** The key the registry presents to this sensor when polling it. */
    public String pollKey(String id) {
        String sealed = db.withHandle(h -> h.createQuery("SELECT poll_secret FROM sensors WHERE id = :id")
                .bind("id", id)
                .mapTo(String.class)
                .findOne()
                .orElseThrow(() -> new IllegalArgumentException("no sensor " + id)));
        return secrets.open(id, sealed);
    }

    /**
     * Changes a sensor's status and records who did it.
     *
     * @return the sensor after the change, or empty when there is no such sensor
     */
    public Optional<RegisteredSensor> setStatus(String id, SensorStatus status, String actor) {
        return db.inTransaction(h -> {
            Optional<String> old = h.createQuery("SELECT status FROM sensors WHERE id = :id")
                    .bind("id", id)
                    .mapTo(String.class)
                    .findOne();
            if (old.isEmpty()) {
                return Optional.empty();
            }
            if (!old.get().equals(status.label())) {
                h.createUpdate("UPDATE sensors SET status = :s WHERE id = :id")
                        .bind("s", status.label())
                        .bind("id", id)
                        .execute();
                insertHistory(h, id, old.get(), status.label(), actor, clock.instant());
            }
            return h.createQuery("SELECT * FROM sensors WHERE id = :id")
                    .bind("id", id)
                    .map((rs, ctx) -> row(rs))
                    .findOne();
        });
    }

    /** Deletes a sensor with its history; its archived logs and parsed events stay (the bucket is the truth). */
    public boolean delete(String id) {
        return db.inTransaction(h -> {
            h.createUpdate("UPDATE registration_keys SET revoked_at = COALESCE(revoked_at, :now) WHERE sensor_id = :id")
                    .bind("now", clock.instant())
                    .bind("id", id)
                    .execute();
            return h.createUpdate("DELETE FROM sensors WHERE id = :id")
                            .bind("id", id)
                            .execute()
                    > 0;
        });
    }

    public List<StatusChange> history(String id) {
        return db.withHandle(h -> h.createQuery(
                        "SELECT * FROM sensor_status_history WHERE sensor_id = :id ORDER BY at DESC, id")
                .bind("id", id)
                .map((rs, ctx) -> new StatusChange(
                        instant(rs, "at"),
                        rs.getString("old_status"),
                        rs.getString("new_status"),
                        rs.getString("actor")))
                .list());
    }

    public List<MetricsSample> metricsHistory(String id, int limit) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM sensor_metrics WHERE sensor_id = :id ORDER BY at DESC")
                .bind("id", id)
                .setMaxRows(limit)
                .map((rs, ctx) -> new MetricsSample(instant(rs, "at"), metrics(rs)))
                .list());
    }

    /** A 200 from the sensor: it is alive; its metrics are stored as current and as a sample. */
    public void heartbeat(String id, RegisteredSensor.Metrics m) {
        Instant now = clock.instant();
        db.inTransaction(h -> {
            h.createUpdate("UPDATE sensors SET last_seen_at = :now, last_error = NULL, cpu_usage = :cpu, "
                            + "memory_usage = :mem, disk_space = :disk, uptime = :up, connections = :conn "
                            + "WHERE id = :id")
                    .bind("now", now)
                    .bind("cpu", m.cpuUsage())
                    .bind("mem", m.memoryUsage())
                    .bind("disk", m.diskSpace())
                    .bind("up", m.uptime())
                    .bind("conn", m.connections())
                    .bind("id", id)
                    .execute();
            return h.createUpdate("INSERT INTO sensor_metrics (id, sensor_id, at, cpu_usage, memory_usage, disk_space,"
                            + " uptime, connections) VALUES (:mid, :id, :now, :cpu, :mem, :disk, :up, :conn)")
                    .bind("mid", UUID.randomUUID().toString())
                    .bind("id", id)
                    .bind("now", now)
                    .bind("cpu", m.cpuUsage())
                    .bind("mem", m.memoryUsage())
                    .bind("disk", m.diskSpace())
                    .bind("up", m.uptime())
                    .bind("conn", m.connections())
                    .execute();
        });
    }

    /** A poll failed: the reason is shown with the sensor (cut to the column's size). */
    public void pollFailed(String id, String reason) {
        db.useHandle(h -> h.createUpdate("UPDATE sensors SET last_error = :e WHERE id = :id")
                .bind("e", reason.length() > 500 ? reason.substring(0, 500) : reason)
                .bind("id", id)
                .execute());
    }

    /** Log pages up to {@code cursor} are archived; a later pull starts there. */
    public void advanceCursor(String id, String cursor) {
        db.useHandle(h -> h.createUpdate(
                        "UPDATE sensors SET log_cursor = :c, last_log_pull_at = :now, last_seen_at = :now WHERE id = :id")
                .bind("c", cursor)
                .bind("now", clock.instant())
                .bind("id", id)
                .execute());
    }

    /** Opens an alert unless one of this kind is open; returns true when it opened one. */
    public boolean openAlert(String sensorId, String kind, String detail) {
        return db.inTransaction(h -> {
            boolean open = h.createQuery("SELECT COUNT(*) FROM sensor_alerts WHERE sensor_id = :s AND kind = :k "
                                    + "AND resolved_at IS NULL")
                            .bind("s", sensorId)
                            .bind("k", kind)
                            .mapTo(Long.class)
                            .one()
                    > 0;
            if (open) {
                return false;
            }
            h.createUpdate("INSERT INTO sensor_alerts (id, sensor_id, kind, opened_at, detail) "
                            + "VALUES (:id, :s, :k, :now, :d)")
                    .bind("id", UUID.randomUUID().toString())
                    .bind("s", sensorId)
                    .bind("k", kind)
                    .bind("now", clock.instant())
                    .bind("d", detail.length() > 500 ? detail.substring(0, 500) : detail)
                    .execute();
            return true;
        });
    }

    /** Resolves the open alert of this kind; returns true when there was one. */
    public boolean resolveAlert(String sensorId, String kind) {
        return db.withHandle(h -> h.createUpdate("UPDATE sensor_alerts SET resolved_at = :now WHERE sensor_id = :s "
                                + "AND kind = :k AND resolved_at IS NULL")
                        .bind("now", clock.instant())
                        .bind("s", sensorId)
                        .bind("k", kind)
                        .execute())
                > 0;
    }

    /** Alerts, newest first; {@code openOnly} leaves resolved ones out; {@code sensorId} null = every sensor. */
    public List<SensorAlert> alerts(String sensorId, boolean openOnly, int limit) {
        return db.withHandle(h -> {
            var q = h.createQuery("SELECT * FROM sensor_alerts WHERE 1 = 1"
                    + (sensorId == null ? "" : " AND sensor_id = :s")
                    + (openOnly ? " AND resolved_at IS NULL" : "")
                    + " ORDER BY opened_at DESC, id");
            if (sensorId != null) {
                q.bind("s", sensorId);
            }
            return q.setMaxRows(limit)
                    .map((rs, ctx) -> new SensorAlert(
                            rs.getString("id"),
                            rs.getString("sensor_id"),
                            rs.getString("kind"),
                            instant(rs, "opened_at"),
                            instant(rs, "resolved_at"),
                            rs.getString("detail")))
                    .list();
        });
    }

    static void insertHistory(
            org.jdbi.v3.core.Handle h, String id, String old, String status, String actor, Instant at) {
        h.createUpdate("INSERT INTO sensor_status_history (id, sensor_id, at, old_status, new_status, actor) "
                        + "VALUES (:hid, :id, :at, :old, :new, :actor)")
                .bind("hid", UUID.randomUUID().toString())
                .bind("id", id)
                .bind("at", at)
                .bind("old", old)
                .bind("new", status)
                .bind("actor", actor.length() > 64 ? actor.substring(0, 64) : actor)
                .execute();
    }

    static RegisteredSensor row(ResultSet rs) throws SQLException {
        return new RegisteredSensor(
                rs.getString("id"),
                rs.getString("name"),
                rs.getString("ip_address"),
                rs.getString("operating_system"),
                SensorStatus.parse(rs.getString("status")),
                metrics(rs),
                rs.getString("s3_bucket_name"),
                rs.getString("s3_region"),
                rs.getString("s3_prefix"),
                rs.getString("mgmt_url"),
                rs.getString("mgmt_cert_sha256"),
                instant(rs, "registered_at"),
                instant(rs, "last_seen_at"),
                instant(rs, "last_log_pull_at"),
                rs.getString("log_cursor"),
                rs.getString("last_error"));
    }

    private static RegisteredSensor.Metrics metrics(ResultSet rs) throws SQLException {
        return new RegisteredSensor.Metrics(
                rs.getString("cpu_usage"),
                rs.getString("memory_usage"),
                rs.getString("disk_space"),
                rs.getString("uptime"),
                rs.getString("connections"));
    }
}
