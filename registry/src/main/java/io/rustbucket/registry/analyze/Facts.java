package io.rustbucket.registry.analyze;

import io.rustbucket.core.sql.Database;
import io.rustbucket.core.sql.Rows;
import io.rustbucket.registry.sensors.RegisteredSensor;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * The facts of one sensor's period, computed in SQL before any model is asked: counts by protocol and action,
 * sessions, top sources, credentials, commands, indicators (URLs, file hashes, source IPs) marked first-seen or
 * seen-before across the whole fleet's history, and the longest sessions. The model only narrates these.
 */
public final class Facts {
    static final int TOP = 10;

    /** One session among the longest. */
    public record Session(String id, String sourceIp, String protocol, Instant start, Instant end, long events) {
        public long seconds() {
            return Duration.between(start, end).toSeconds();
        }
    }

    private Facts() {}

    /** Number of events the sensor recorded in the period. */
    static long events(Database db, String sensorId, Instant from, Instant to) {
        return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sensor_events WHERE " + WHERE)
                .bind("s", sensorId)
                .bind("f", from)
                .bind("t", to)
                .mapTo(Long.class)
                .one());
    }

    /** Computes the facts; the map is what is stored as JSON and what the model sees. */
    static Map<String, Object> compute(Database db, RegisteredSensor s, Instant from, Instant to) {
        return db.withHandle(h -> {
            Map<String, Object> f = new LinkedHashMap<>();
            f.put("sensor", Map.of("id", s.id(), "name", s.name(), "ip_address", s.ipAddress()));
            f.put("period", Map.of("from", from.toString(), "to", to.toString()));
            h.createQuery("SELECT MIN(at) a, MAX(at) b FROM sensor_events WHERE " + WHERE)
                    .bind("s", s.id())
                    .bind("f", from)
                    .bind("t", to)
                    .map((rs, ctx) -> new Instant[] {Rows.instant(rs, "a"), Rows.instant(rs, "b")})
                    .findOne()
                    .filter(r -> r[0] != null)
                    .ifPresent(r -> f.put("event_times", Map.of("first", r[0].toString(), "last", r[1].toString())));
            f.put("events", scalar(h, "SELECT COUNT(*) FROM sensor_events WHERE " + WHERE, s, from, to));
            f.put(
                    "sessions",
                    scalar(h, "SELECT COUNT(DISTINCT session_id) FROM sensor_events WHERE " + WHERE, s, from, to));
            f.put("by_protocol", counts(h, "protocol", s, from, to));
            f.put("by_action", counts(h, "action", s, from, to));
            f.put("top_source_ips", topSources(h, s, from, to));
            f.put(
                    "top_credentials",
                    rows(
                            h,
                            "SELECT user_name, user_password, COUNT(*) n FROM sensor_events WHERE " + WHERE
                                    + " AND action = 'login.attempt' AND user_name IS NOT NULL "
                                    + "GROUP BY user_name, user_password ORDER BY n DESC, user_name",
                            s,
                            from,
                            to,
                            rs -> ordered(
                                    "user", rs.getString(1), "password", rs.getString(2), "attempts", rs.getLong(3))));
            f.put(
                    "top_commands",
                    rows(
                            h,
                            "SELECT input, COUNT(*) n FROM sensor_events WHERE " + WHERE
                                    + " AND action = 'command' AND input IS NOT NULL GROUP BY input ORDER BY n DESC, input",
                            s,
                            from,
                            to,
                            rs -> ordered("command", rs.getString(1), "count", rs.getLong(2))));
            f.put("urls", indicators(h, "url", s, from, to));
            f.put("file_hashes", indicators(h, "file_sha256", s, from, to));
            f.put(
                    "longest_sessions",
                    longest(h, s, from, to, 5).stream()
                            .map(x -> ordered(
                                    "session",
                                    x.id(),
                                    "source_ip",
                                    x.sourceIp(),
                                    "protocol",
                                    x.protocol(),
                                    "start",
                                    x.start().toString(),
                                    "seconds",
                                    x.seconds(),
                                    "events",
                                    x.events()))
                            .toList());
            return f;
        });
    }

    /** The period is by parse time: each event is analysed once, however late it was pulled and parsed. */
    private static final String WHERE = "sensor_id = :s AND parsed_at > :f AND parsed_at <= :t";

    /** The longest sessions of the period, by duration then events. */
    static List<Session> longest(Handle h, RegisteredSensor s, Instant from, Instant to, int limit) {
        return h
                .createQuery("SELECT session_id, MIN(source_ip), MIN(protocol), MIN(at) a, MAX(at) b, COUNT(*) n "
                        + "FROM sensor_events WHERE " + WHERE + " AND session_id IS NOT NULL GROUP BY session_id")
                .bind("s", s.id())
                .bind("f", from)
                .bind("t", to)
                .map((rs, ctx) -> new Session(
                        rs.getString(1),
                        rs.getString(2),
                        rs.getString(3),
                        Rows.instant(rs, "a"),
                        Rows.instant(rs, "b"),
                        rs.getLong(6)))
                .stream()
                .sorted(java.util.Comparator.comparingLong(Session::seconds)
                        .thenComparingLong(Session::events)
                        .reversed()
                        .thenComparing(Session::id))
                .limit(limit)
                .toList();
    }

    private static long scalar(Handle h, String sql, RegisteredSensor s, Instant from, Instant to) {
        return h.createQuery(sql)
                .bind("s", s.id())
                .bind("f", from)
                .bind("t", to)
                .mapTo(Long.class)
                .one();
    }

    private static Map<String, Long> counts(Handle h, String column, RegisteredSensor s, Instant from, Instant to) {
        Map<String, Long> m = new LinkedHashMap<>();
        h.createQuery("SELECT " + column + ", COUNT(*) n FROM sensor_events WHERE " + WHERE + " AND " + column
                        + " IS NOT NULL GROUP BY " + column + " ORDER BY n DESC, " + column)
                .bind("s", s.id())
                .bind("f", from)
                .bind("t", to)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .forEach(e -> m.put(e.getKey(), e.getValue()));
        return m;
    }

    private static List<Map<String, Object>> topSources(Handle h, RegisteredSensor s, Instant from, Instant to) {
        List<Map<String, Object>> out = rows(
                h,
                "SELECT source_ip, COUNT(*) n, COUNT(DISTINCT session_id) FROM sensor_events WHERE " + WHERE
                        + " AND source_ip IS NOT NULL GROUP BY source_ip ORDER BY n DESC, source_ip",
                s,
                from,
                to,
                rs -> ordered("ip", rs.getString(1), "events", rs.getLong(2), "sessions", rs.getLong(3)));
        for (Map<String, Object> m : out) {
            m.put("first_seen", !seenBefore(h, "source_ip", (String) m.get("ip"), from));
        }
        return out;
    }

    private static List<Map<String, Object>> indicators(
            Handle h, String column, RegisteredSensor s, Instant from, Instant to) {
        List<Map<String, Object>> out = rows(
                h,
                "SELECT " + column + ", COUNT(*) n FROM sensor_events WHERE " + WHERE + " AND " + column
                        + " IS NOT NULL GROUP BY " + column + " ORDER BY n DESC, " + column,
                s,
                from,
                to,
                rs -> ordered("value", rs.getString(1), "count", rs.getLong(2)));
        for (Map<String, Object> m : out) {
            m.put("first_seen", !seenBefore(h, column, (String) m.get("value"), from));
        }
        return out;
    }

    /** Whether this value was in any sensor's events parsed before the period. */
    private static boolean seenBefore(Handle h, String column, String value, Instant from) {
        return h.createQuery("SELECT COUNT(*) FROM sensor_events WHERE " + column + " = :v AND parsed_at <= :f")
                        .bind("v", value)
                        .bind("f", from)
                        .setMaxRows(1)
                        .mapTo(Long.class)
                        .one()
                > 0;
    }

    @FunctionalInterface
    private interface RowReader {
        Map<String, Object> read(java.sql.ResultSet rs) throws java.sql.SQLException;
    }

    private static List<Map<String, Object>> rows(
            Handle h, String sql, RegisteredSensor s, Instant from, Instant to, RowReader reader) {
        return new ArrayList<>(h.createQuery(sql)
                .bind("s", s.id())
                .bind("f", from)
                .bind("t", to)
                .setMaxRows(TOP)
                .map((rs, ctx) -> reader.read(rs))
                .list());
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}
