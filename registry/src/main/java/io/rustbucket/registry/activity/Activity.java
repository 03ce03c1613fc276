package io.rustbucket.registry.activity;

import io.rustbucket.core.sql.Database;
import io.rustbucket.core.sql.Rows;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * What attackers did, read from the parsed events table: connections over time by protocol, the most frequent
 * sources, credentials, commands and URLs, sessions, and one session's transcript. Every query is bounded by a
 * time range and a row limit, and uses the indices on {@code at} and {@code session_id}.
 */
public final class Activity {
    /** Buckets of a timeline are at least this long and at most this many. */
    public static final Duration MIN_BUCKET = Duration.ofMinutes(5);

    public static final int MAX_BUCKETS = 120;
    /** A transcript is cut here; a longer session is rare and the rest stays in the archive. */
    public static final int MAX_SESSION_EVENTS = 5_000;

    /** Connections per protocol in each bucket, {@code buckets.size() + 1} edges in {@code starts}. */
    public record Timeline(List<Instant> starts, Duration bucket, Map<String, long[]> byProtocol, long total) {}

    /** A value and how often it was seen. */
    public record Count(String value, long count) {}

    /** What to rank in {@link #top}. */
    public enum Dimension {
        SOURCE_IP("source_ip", "source_ip IS NOT NULL"),
        CREDENTIAL(
                "CONCAT(COALESCE(user_name, ''), ':', COALESCE(user_password, ''))",
                "action = 'login.attempt' AND (user_name IS NOT NULL OR user_password IS NOT NULL)"),
        COMMAND("input", "action = 'command' AND input IS NOT NULL"),
        URL("url", "url IS NOT NULL");

        private final String expression;
        private final String condition;

        Dimension(String expression, String condition) {
            this.expression = expression;
            this.condition = condition;
        }
    }

    /** Which sessions to list; null or empty fields do not filter. */
    public record SessionFilter(
            Instant from, Instant to, String sensor, String protocol, String sourceIp, String user, String text) {}

    /** One row of the sessions list. */
    public record SessionSummary(
            String id,
            String sensor,
            String protocol,
            String sourceIp,
            String user,
            Instant started,
            Instant ended,
            long events,
            long commands) {
        public Duration duration() {
            return Duration.between(started, ended);
        }
    }

    /** One event of a session's transcript. */
    public record SessionEvent(
            Instant at,
            String action,
            String protocol,
            String sourceIp,
            Integer sourcePort,
            String sensor,
            String user,
            String password,
            String input,
            String response,
            String responder,
            String url,
            String fileSha256) {}

    private final Database db;

    public Activity(Database db) {
        this.db = db;
    }

    /** Connections (sessions opened) per protocol over time, in equal buckets covering {@code [from, to)}. */
    public Timeline timeline(Instant from, Instant to, int buckets) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        int n = Math.clamp(buckets, 1, MAX_BUCKETS);
        Duration bucket = Duration.between(from, to).dividedBy(n);
        if (bucket.compareTo(MIN_BUCKET) < 0) {
            bucket = MIN_BUCKET;
            n = (int) Math.max(1, (Duration.between(from, to).toMillis() + bucket.toMillis() - 1) / bucket.toMillis());
        }
        List<Instant> starts = new ArrayList<>(n + 1);
        for (int i = 0; i <= n; i++) {
            starts.add(from.plus(bucket.multipliedBy(i)));
        }
        Map<String, long[]> byProtocol = new LinkedHashMap<>();
        long total = 0;
        int size = n;
        // One grouped count per bucket over the index on `at`: the same SQL on every vendor, and no rows shipped.
        List<List<Count>> counts = db.withHandle(h -> {
            List<List<Count>> out = new ArrayList<>(size);
            for (int i = 0; i < size; i++) {
                out.add(h.createQuery("SELECT COALESCE(protocol, 'other') p, COUNT(*) n FROM sensor_events "
                                + "WHERE at >= :f AND at < :t AND action = 'connection.open' "
                                + "GROUP BY COALESCE(protocol, 'other')")
                        .bind("f", starts.get(i))
                        .bind("t", starts.get(i + 1))
                        .map((rs, ctx) -> new Count(rs.getString(1), rs.getLong(2)))
                        .list());
            }
            return out;
        });
        for (int i = 0; i < size; i++) {
            for (Count c : counts.get(i)) {
                byProtocol.computeIfAbsent(c.value(), p -> new long[size])[i] += c.count();
                total += c.count();
            }
        }
        Map<String, long[]> sorted = new LinkedHashMap<>();
        new TreeSet<>(byProtocol.keySet()).forEach(p -> sorted.put(p, byProtocol.get(p)));
        return new Timeline(List.copyOf(starts), bucket, sorted, total);
    }

    /** The most frequent values of a dimension in {@code [from, to)}. */
    public List<Count> top(Dimension d, Instant from, Instant to, int limit) {
        return db.withHandle(h -> h.createQuery("SELECT " + d.expression + " v, COUNT(*) n FROM sensor_events "
                        + "WHERE at >= :f AND at < :t AND " + d.condition + " GROUP BY " + d.expression
                        + " ORDER BY n DESC, v")
                .bind("f", from)
                .bind("t", to)
                .setMaxRows(Math.clamp(limit, 1, 100))
                .map((rs, ctx) -> new Count(rs.getString(1), rs.getLong(2)))
                .list());
    }

    /** Sessions newest first, {@code limit} from {@code offset}. */
    public List<SessionSummary> sessions(SessionFilter f, int limit, int offset) {
        StringBuilder where = new StringBuilder("session_id IS NOT NULL");
        Map<String, Object> binds = new LinkedHashMap<>();
        condition(where, binds, "at >= :f", "f", f.from());
        condition(where, binds, "at < :t", "t", f.to());
        condition(where, binds, "sensor_name = :sensor", "sensor", blankToNull(f.sensor()));
        condition(where, binds, "protocol = :proto", "proto", blankToNull(f.protocol()));
        condition(where, binds, "source_ip = :ip", "ip", blankToNull(f.sourceIp()));
        String inner = "SELECT session_id FROM sensor_events WHERE " + where;
        if (blankToNull(f.user()) != null) {
            inner += " AND user_name = :user";
            binds.put("user", f.user().strip());
        }
        if (blankToNull(f.text()) != null) {
            inner += " AND (LOWER(input) LIKE :text OR LOWER(url) LIKE :text)";
            binds.put("text", "%" + likeEscape(f.text().strip().toLowerCase(java.util.Locale.ROOT)) + "%");
        }
        String sql = "SELECT session_id, MIN(sensor_name) sensor, MIN(protocol) proto, MIN(source_ip) ip, "
                + "MAX(user_name) usr, MIN(at) a, MAX(at) b, COUNT(*) n, "
                + "SUM(CASE WHEN action = 'command' THEN 1 ELSE 0 END) c FROM sensor_events "
                + "WHERE session_id IN (" + inner + ")"
                + " GROUP BY session_id ORDER BY a DESC, session_id LIMIT :limit OFFSET :offset";
        return db.withHandle(h -> {
            Query q = h.createQuery(sql);
            binds.forEach(q::bind);
            return q.bind("limit", Math.clamp(limit, 1, 500))
                    .bind("offset", Math.max(0, offset))
                    .map((rs, ctx) -> new SessionSummary(
                            rs.getString(1),
                            rs.getString("sensor"),
                            rs.getString("proto"),
                            rs.getString("ip"),
                            rs.getString("usr"),
                            Rows.instant(rs, "a"),
                            Rows.instant(rs, "b"),
                            rs.getLong("n"),
                            rs.getLong("c")))
                    .list();
        });
    }

    /** A session's events in order, or empty when no event has this session id. */
    public Optional<List<SessionEvent>> session(String id) {
        if (id == null || id.isBlank() || id.length() > 64) {
            return Optional.empty();
        }
        List<SessionEvent> events = db.withHandle(h -> transcript(h, id));
        return events.isEmpty() ? Optional.empty() : Optional.of(events);
    }

    /** How many connections arrived in {@code [from, to)}. */
    public long connections(Instant from, Instant to) {
        return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM sensor_events "
                        + "WHERE action = 'connection.open' AND at >= :f AND at < :t")
                .bind("f", from)
                .bind("t", to)
                .mapTo(Long.class)
                .one());
    }

    /** When the newest parsed event happened, if any: the console says how fresh its figures are. */
    public Optional<Instant> newestParsed() {
        return db.withHandle(h -> h.createQuery("SELECT MAX(parsed_at) m FROM sensor_events")
                .map((rs, ctx) -> Optional.ofNullable(Rows.instant(rs, "m")))
                .one());
    }

    private static List<SessionEvent> transcript(Handle h, String id) {
        return h.createQuery("SELECT at, action, protocol, source_ip, source_port, sensor_name, user_name, "
                        + "user_password, input, response, responder, url, file_sha256 FROM sensor_events "
                        + "WHERE session_id = :id ORDER BY at, id")
                .bind("id", id)
                .setMaxRows(MAX_SESSION_EVENTS)
                .map((rs, ctx) -> new SessionEvent(
                        Rows.instant(rs, "at"),
                        rs.getString("action"),
                        rs.getString("protocol"),
                        rs.getString("source_ip"),
                        (Integer) rs.getObject("source_port", Integer.class),
                        rs.getString("sensor_name"),
                        rs.getString("user_name"),
                        rs.getString("user_password"),
                        rs.getString("input"),
                        rs.getString("response"),
                        rs.getString("responder"),
                        rs.getString("url"),
                        rs.getString("file_sha256")))
                .list();
    }

    private static void condition(StringBuilder where, Map<String, Object> binds, String sql, String name, Object v) {
        if (v != null) {
            where.append(" AND ").append(sql);
            binds.put(name, v);
        }
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.strip();
    }

    private static String likeEscape(String s) {
        return s.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_");
    }
}
