package io.rustbucket.registry.activity;

import io.rustbucket.core.sql.Database;
import io.rustbucket.core.sql.Rows;
import io.rustbucket.registry.parse.ParsedEvent;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Query;

/**
 * What attackers did: connections over time by protocol and the most frequent sources, credentials, commands and
 * URLs (from the hourly counts the parser keeps in {@code activity_hourly}, so a month of a million events ranks
 * in milliseconds; ranges are widened to whole hours), and sessions and one session's transcript (from
 * {@code sensor_events}, by its indices on {@code at} and {@code session_id}). Every query is bounded.
 */
public final class Activity {
    /** The grain of the counts: buckets of a timeline are whole hours. */
    public static final Duration HOUR = Duration.ofHours(1);

    /** Ranked values are kept to this many characters. */
    public static final int MAX_ITEM_CHARS = 512;

    public static final int MAX_BUCKETS = 120;
    /** A transcript is cut here; a longer session is rare and the rest stays in the archive. */
    public static final int MAX_SESSION_EVENTS = 5_000;

    /** Connections per protocol in each bucket, {@code buckets.size() + 1} edges in {@code starts}. */
    public record Timeline(List<Instant> starts, Duration bucket, Map<String, long[]> byProtocol, long total) {}

    /** A value and how often it was seen. */
    public record Count(String value, long count) {}

    /** What to rank in {@link #top}, and how each event contributes to it (null = it does not). */
    public enum Dimension {
        SOURCE_IP("source_ip"),
        CREDENTIAL("credential"),
        COMMAND("command"),
        URL("url");

        private final String id;

        Dimension(String id) {
            this.id = id;
        }

        String item(ParsedEvent e) {
            return switch (this) {
                case SOURCE_IP -> e.sourceIp();
                case CREDENTIAL ->
                    "login.attempt".equals(e.action()) && (e.userName() != null || e.password() != null)
                            ? (e.userName() == null ? "" : e.userName()) + ":"
                                    + (e.password() == null ? "" : e.password())
                            : null;
                case COMMAND -> "command".equals(e.action()) ? e.input() : null;
                case URL -> e.url();
            };
        }
    }

    /** Connections are counted per protocol under this dimension. */
    static final String CONNECTIONS = "connections";

    /**
     * Which sessions to list; null or empty fields do not filter. {@code sessionIds}, when not null, limits the
     * list to those sessions (what a full-text search found); {@code text} is a substring of a command or URL,
     * matched by a scan (slow on large tables: callers with a search index pass {@code sessionIds} instead).
     */
    public record SessionFilter(
            Instant from,
            Instant to,
            String sensor,
            String protocol,
            String sourceIp,
            String user,
            String text,
            List<String> sessionIds) {
        public SessionFilter(
                Instant from, Instant to, String sensor, String protocol, String sourceIp, String user, String text) {
            this(from, to, sensor, protocol, sourceIp, user, text, null);
        }
    }

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

    /** How long a computed ranking or count is reused when no new events were counted meanwhile. */
    static final Duration CACHE_FOR = Duration.ofMinutes(5);

    static final int CACHE_ENTRIES = 256;

    private record Cached(long version, Instant at, Object value) {}

    private final Database db;
    private final Clock clock;
    /** Bumped whenever this process counts new events; cached figures of an older version are recomputed. */
    private final AtomicLong version = new AtomicLong();
    /**
     * Rankings and totals by (query, hour range): ranges are whole hours, so the same page asks the same question
     * for up to an hour. Another process's parser does not bump {@link #version}; {@link #CACHE_FOR} bounds how
     * stale that can make a figure.
     */
    private final Map<List<Object>, Cached> cache = new ConcurrentHashMap<>();

    public Activity(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Connections (sessions opened) per protocol in equal buckets of whole hours, from the hour of {@code from}
     * until {@code to} is covered.
     */
    public Timeline timeline(Instant from, Instant to, int buckets) {
        if (!from.isBefore(to)) {
            throw new IllegalArgumentException("from must be before to");
        }
        Instant start = floorHour(from);
        Instant end = ceilHour(to);
        long hours = Duration.between(start, end).toHours();
        int wanted = Math.clamp(buckets, 1, MAX_BUCKETS);
        long perBucket = Math.max(1, (hours + wanted - 1) / wanted);
        int n = (int) ((hours + perBucket - 1) / perBucket);
        Duration bucket = HOUR.multipliedBy(perBucket);
        List<Instant> starts = new ArrayList<>(n + 1);
        for (int i = 0; i <= n; i++) {
            starts.add(start.plus(bucket.multipliedBy(i)));
        }
        Map<String, long[]> byProtocol = new java.util.TreeMap<>();
        long total = 0;
        for (Object[] row : hourly(CONNECTIONS, start, starts.getLast())) {
            int i = (int) (Duration.between(start, (Instant) row[0]).toHours() / perBucket);
            long count = (Long) row[2];
            byProtocol.computeIfAbsent((String) row[1], p -> new long[n])[i] += count;
            total += count;
        }
        return new Timeline(List.copyOf(starts), bucket, new LinkedHashMap<>(byProtocol), total);
    }

    /** The most frequent values of a dimension in the hours covering {@code [from, to)}. */
    public List<Count> top(Dimension d, Instant from, Instant to, int limit) {
        int n = Math.clamp(limit, 1, 100);
        Instant f = floorHour(from);
        Instant t = ceilHour(to);
        return cached(
                List.of("top", d, f, t, n),
                () -> db.withHandle(h -> h.createQuery(
                                "SELECT item, SUM(n) s FROM activity_hourly WHERE dimension = :d "
                                        + "AND hour_start >= :f AND hour_start < :t GROUP BY item ORDER BY s DESC, item")
                        .bind("d", d.id)
                        .bind("f", f)
                        .bind("t", t)
                        .setMaxRows(n)
                        .map((rs, ctx) -> new Count(rs.getString(1), rs.getLong(2)))
                        .list()));
    }

    /** How many connections arrived in the hours covering {@code [from, to)}. */
    public long connections(Instant from, Instant to) {
        Instant f = floorHour(from);
        Instant t = ceilHour(to);
        return cached(
                List.of("connections", f, t),
                () -> db.withHandle(h -> h.createQuery("SELECT COALESCE(SUM(n), 0) FROM activity_hourly "
                                + "WHERE dimension = :d AND hour_start >= :f AND hour_start < :t")
                        .bind("d", CONNECTIONS)
                        .bind("f", f)
                        .bind("t", t)
                        .mapTo(Long.class)
                        .one()));
    }

    @SuppressWarnings("unchecked")
    private <T> T cached(List<Object> key, java.util.function.Supplier<T> compute) {
        long v = version.get();
        Instant now = clock.instant();
        Cached c = cache.get(key);
        if (c != null && c.version() == v && Duration.between(c.at(), now).compareTo(CACHE_FOR) < 0) {
            return (T) c.value();
        }
        T value = compute.get();
        if (cache.size() >= CACHE_ENTRIES) {
            cache.clear();
        }
        cache.put(key, new Cached(v, now, value));
        return value;
    }

    /**
     * Adds newly stored events to the hourly counts, in the caller's transaction (the parser's insert). The
     * parser runs under a job lease, so one process at a time adds; update-then-insert is safe.
     */
    public void count(Handle h, List<ParsedEvent> events) {
        Map<List<Object>, Long> counts = new LinkedHashMap<>();
        for (ParsedEvent e : events) {
            Instant hour = floorHour(e.at());
            if ("connection.open".equals(e.action())) {
                counts.merge(List.of(CONNECTIONS, hour, e.protocol() == null ? "other" : e.protocol()), 1L, Long::sum);
            }
            for (Dimension d : Dimension.values()) {
                String item = d.item(e);
                if (item != null) {
                    counts.merge(List.of(d.id, hour, ParsedEvent.cut(item, MAX_ITEM_CHARS)), 1L, Long::sum);
                }
            }
        }
        if (counts.isEmpty()) {
            return;
        }
        List<List<Object>> keys = new ArrayList<>(counts.keySet());
        var update = h.prepareBatch(
                "UPDATE activity_hourly SET n = n + :n " + "WHERE dimension = :d AND hour_start = :h AND item = :i");
        keys.forEach(k -> bindKey(update, k).bind("n", counts.get(k)).add());
        int[] updated = update.execute();
        var insert = h.prepareBatch(
                "INSERT INTO activity_hourly (dimension, hour_start, item, n) " + "VALUES (:d, :h, :i, :n)");
        boolean any = false;
        for (int i = 0; i < keys.size(); i++) {
            if (updated[i] == 0) {
                bindKey(insert, keys.get(i)).bind("n", counts.get(keys.get(i))).add();
                any = true;
            }
        }
        if (any) {
            insert.execute();
        }
    }

    /** Called once counted events are committed: cached figures are recomputed on their next use. */
    public void changed() {
        version.incrementAndGet();
    }

    /**
     * Rebuilds the hourly counts from the events when they are missing (a database from before the counts
     * existed). Returns how many events were counted; 0 when nothing had to be done.
     */
    public long rebuildIfEmpty() {
        boolean empty = db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM activity_hourly")
                        .mapTo(Long.class)
                        .one())
                == 0;
        if (!empty) {
            return 0;
        }
        long counted = db.inTransaction(h -> {
            long[] seen = {0};
            List<ParsedEvent> chunk = new ArrayList<>();
            try (var rows = h
                    .createQuery("SELECT at, action, protocol, source_ip, user_name, user_password, input, "
                            + "url FROM sensor_events")
                    .setFetchSize(5_000)
                    .map((rs, ctx) -> new ParsedEvent(
                            null,
                            null,
                            Rows.instant(rs, "at"),
                            null,
                            rs.getString("source_ip"),
                            null,
                            rs.getString("protocol"),
                            rs.getString("action"),
                            rs.getString("user_name"),
                            rs.getString("user_password"),
                            rs.getString("input"),
                            null,
                            null,
                            rs.getString("url"),
                            null))
                    .stream()) {
                rows.forEach(e -> {
                    chunk.add(e);
                    seen[0]++;
                    if (chunk.size() == 5_000) {
                        count(h, chunk);
                        chunk.clear();
                    }
                });
            }
            count(h, chunk);
            return seen[0];
        });
        changed();
        return counted;
    }

    private List<Object[]> hourly(String dimension, Instant from, Instant to) {
        return db.withHandle(h -> h.createQuery("SELECT hour_start, item, n FROM activity_hourly "
                        + "WHERE dimension = :d AND hour_start >= :f AND hour_start < :t")
                .bind("d", dimension)
                .bind("f", from)
                .bind("t", to)
                .map((rs, ctx) -> new Object[] {Rows.instant(rs, "hour_start"), rs.getString("item"), rs.getLong("n")})
                .list());
    }

    private static <T extends org.jdbi.v3.core.statement.SqlStatement<T>> T bindKey(T statement, List<Object> key) {
        return statement
                .bind("d", (String) key.get(0))
                .bind("h", (Instant) key.get(1))
                .bind("i", (String) key.get(2));
    }

    static Instant floorHour(Instant t) {
        return t.truncatedTo(java.time.temporal.ChronoUnit.HOURS);
    }

    static Instant ceilHour(Instant t) {
        Instant f = floorHour(t);
        return f.equals(t) ? t : f.plus(HOUR);
    }

    /**
     * Sessions newest first, {@code limit} from {@code offset}. A session is listed from its
     * {@code connection.open} event, so the page is found by walking the index on {@code at} backwards; only the
     * sessions of the page are then summarised.
     */
    public List<SessionSummary> sessions(SessionFilter f, int limit, int offset) {
        if (f.sessionIds() != null && f.sessionIds().isEmpty()) {
            return List.of();
        }
        StringBuilder where = new StringBuilder("action = 'connection.open' AND session_id IS NOT NULL");
        Map<String, Object> binds = new LinkedHashMap<>();
        condition(where, binds, "at >= :f", "f", f.from());
        condition(where, binds, "at < :t", "t", f.to());
        condition(where, binds, "sensor_name = :sensor", "sensor", blankToNull(f.sensor()));
        condition(where, binds, "protocol = :proto", "proto", blankToNull(f.protocol()));
        condition(where, binds, "source_ip = :ip", "ip", blankToNull(f.sourceIp()));
        if (blankToNull(f.user()) != null) {
            where.append(" AND session_id IN (SELECT session_id FROM sensor_events WHERE user_name = :user)");
            binds.put("user", f.user().strip());
        }
        if (blankToNull(f.text()) != null) {
            where.append(" AND session_id IN (SELECT session_id FROM sensor_events "
                    + "WHERE LOWER(input) LIKE :text OR LOWER(url) LIKE :text)");
            binds.put("text", "%" + likeEscape(f.text().strip().toLowerCase(java.util.Locale.ROOT)) + "%");
        }
        boolean byIds = f.sessionIds() != null;
        if (byIds) {
            where.append(" AND session_id IN (<ids>)");
        }
        return db.withHandle(h -> {
            Query page = h.createQuery("SELECT session_id FROM sensor_events WHERE " + where
                    + " ORDER BY at DESC, session_id LIMIT :limit OFFSET :offset");
            binds.forEach(page::bind);
            if (byIds) {
                page.bindList("ids", f.sessionIds());
            }
            List<String> ids = page.bind("limit", Math.clamp(limit, 1, 500))
                    .bind("offset", Math.max(0, offset))
                    .mapTo(String.class)
                    .list();
            if (ids.isEmpty()) {
                return List.<SessionSummary>of();
            }
            Map<String, SessionSummary> byId = new java.util.HashMap<>();
            h.createQuery("SELECT session_id, MIN(sensor_name) sensor, MIN(protocol) proto, MIN(source_ip) ip, "
                            + "MAX(user_name) usr, MIN(at) a, MAX(at) b, COUNT(*) n, "
                            + "SUM(CASE WHEN action = 'command' THEN 1 ELSE 0 END) c FROM sensor_events "
                            + "WHERE session_id IN (<ids>) GROUP BY session_id")
                    .bindList("ids", ids)
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
                    .forEach(sum -> byId.put(sum.id(), sum));
            return ids.stream()
                    .map(byId::get)
                    .filter(java.util.Objects::nonNull)
                    .toList();
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
