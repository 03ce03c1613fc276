package io.rustbucket.registry.archive;

import io.rustbucket.core.auth.SecretTokens;
import io.rustbucket.core.sql.Database;
import io.rustbucket.core.sql.DuplicateKeyException;
import io.rustbucket.core.store.ObjectExistsException;
import io.rustbucket.core.store.ObjectInfo;
import io.rustbucket.core.store.ObjectStore;
import io.rustbucket.registry.sensors.RegisteredSensor;
import java.nio.file.Path;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Collectors;

/**
 * The log archive: gzip JSON Lines objects in the store, pulled ({@code registry/{sensor_id}/{day}/...}) or pushed
 * by sensors themselves ({@code sensors/{name}/logs/{day}/...}), and the SQL bookkeeping of which exist and which
 * are parsed. Objects are created once and never renamed or rewritten; progress lives in {@code archive_objects}.
 */
public final class Archive {
    public static final String PULLED = "registry/";
    public static final String PUSHED = "sensors/";

    /** One archive object as the parser needs it. */
    public record Entry(String id, String key, String sensorId, String sensorName, String origin, long sizeBytes) {}

    private final ObjectStore store;
    private final Database db;
    private final Clock clock;

    public Archive(ObjectStore store, Database db, Clock clock) {
        this.store = store;
        this.db = db;
        this.clock = clock;
    }

    public ObjectStore store() {
        return store;
    }

    /** The key of a pulled page: {@code registry/{sensor_id}/{YYYY-MM-DD}/{sensor_id}_{from}_{to}.jsonl.gz}. */
    public static String pulledKey(String sensorId, LocalDate day, String from, String to) {
        return PULLED + sensorId + "/" + day + "/" + sensorId + "_" + safe(from) + "_" + safe(to) + ".jsonl.gz";
    }

    /**
     * Stores a pulled page (already gzip) and records it. Storing the same range again is not an error: the
     * object exists from an earlier attempt whose bookkeeping failed, and is recorded now.
     */
    public void storePulled(RegisteredSensor sensor, String key, Path gzip, long lines) {
        long size;
        try {
            size = java.nio.file.Files.size(gzip);
            try (var in = java.nio.file.Files.newInputStream(gzip)) {
                store.put(key, in, size);
            }
        } catch (ObjectExistsException e) {
            size = store.stat(key).map(ObjectInfo::sizeBytes).orElse(0L);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        record(key, sensor.id(), sensor.name(), "pull", size, lines);
    }

    /**
     * Finds batches sensors pushed under {@code sensors/{name}/logs/{day}/} for the last {@code lookbackDays}
     * days and today, and records the unknown ones.
     *
     * @return how many new objects were recorded
     */
    public int discoverPushed(List<RegisteredSensor> sensors, int lookbackDays) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        int found = 0;
        Set<String> listed = new HashSet<>();
        for (RegisteredSensor s : sensors) {
            String base = (s.s3Prefix() == null ? "" : s.s3Prefix()) + PUSHED + s.name() + "/logs/";
            for (int d = lookbackDays; d >= 0; d--) {
                String prefix = base + today.minusDays(d) + "/";
                if (!listed.add(prefix)) {
                    continue; // two sensors of one name share a prefix; listed once
                }
                List<ObjectInfo> objects;
                try {
                    objects = store.listAll(prefix).toList();
                } catch (io.rustbucket.core.store.InvalidKeyException e) {
                    continue; // a sensor name that cannot be a key segment pushes nothing here
                }
                Set<String> known = known(objects.stream().map(ObjectInfo::key).toList());
                for (ObjectInfo o : objects) {
                    if (o.key().endsWith(".jsonl.gz") && !known.contains(SecretTokens.hash(o.key()))) {
                        if (record(o.key(), s.id(), s.name(), "push", o.sizeBytes(), 0)) {
                            found++;
                        }
                    }
                }
            }
        }
        return found;
    }

    /** Objects waiting for the parser, oldest first. */
    public List<Entry> unparsed(int limit) {
        return db.withHandle(h -> h.createQuery("SELECT id, object_key, sensor_id, sensor_name, origin, size_bytes "
                        + "FROM archive_objects WHERE parsed_at IS NULL ORDER BY archived_at, id")
                .setMaxRows(limit)
                .map((rs, ctx) -> new Entry(
                        rs.getString("id"),
                        rs.getString("object_key"),
                        rs.getString("sensor_id"),
                        rs.getString("sensor_name"),
                        rs.getString("origin"),
                        rs.getLong("size_bytes")))
                .list());
    }

    public void markParsed(String id, long lines, long events, long invalid, String error) {
        db.useHandle(h -> h.createUpdate("UPDATE archive_objects SET parsed_at = :now, line_count = :lines, "
                        + "events = :events, invalid_lines = :invalid, parse_error = :err WHERE id = :id")
                .bind("now", clock.instant())
                .bind("lines", lines)
                .bind("events", events)
                .bind("invalid", invalid)
                .bind("err", error == null ? null : error.length() > 500 ? error.substring(0, 500) : error)
                .bind("id", id)
                .execute());
    }

    /** Counts of archived objects: total and waiting to be parsed. */
    public long[] counts() {
        return db.withHandle(h -> h.createQuery(
                        "SELECT COUNT(*), SUM(CASE WHEN parsed_at IS NULL THEN 1 ELSE 0 END) FROM archive_objects")
                .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
                .one());
    }

    /** Records an object once; false when it was recorded already. */
    private boolean record(String key, String sensorId, String sensorName, String origin, long size, long lines) {
        try {
            db.useHandle(h -> h.createUpdate("INSERT INTO archive_objects (id, key_hash, object_key, sensor_id, "
                            + "sensor_name, origin, size_bytes, line_count, archived_at) VALUES (:id, :kh, :key, "
                            + ":sid, :name, :origin, :size, :lines, :now)")
                    .bind("id", UUID.randomUUID().toString())
                    .bind("kh", SecretTokens.hash(key))
                    .bind("key", key)
                    .bind("sid", sensorId)
                    .bind("name", sensorName)
                    .bind("origin", origin)
                    .bind("size", size)
                    .bind("lines", lines)
                    .bind("now", clock.instant())
                    .execute());
            return true;
        } catch (DuplicateKeyException e) {
            return false;
        }
    }

    private Set<String> known(List<String> keys) {
        Set<String> out = new HashSet<>();
        for (int i = 0; i < keys.size(); i += 500) {
            List<String> hashes = keys.subList(i, Math.min(keys.size(), i + 500)).stream()
                    .map(SecretTokens::hash)
                    .collect(Collectors.toList());
            out.addAll(db.withHandle(h -> h.createQuery("SELECT key_hash FROM archive_objects WHERE key_hash IN (<h>)")
                    .bindList("h", hashes)
                    .mapTo(String.class)
                    .list()));
        }
        return out;
    }

    /** A cursor as a key segment: letters, digits, dot and dash kept, anything else a dash, at most 80 characters. */
    static String safe(String s) {
        String v = s.replaceAll("[^A-Za-z0-9.-]", "-");
        return v.length() > 80 ? v.substring(0, 80) : v;
    }
}
