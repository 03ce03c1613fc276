package io.rustbucket.core.llm;

import io.rustbucket.core.sql.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Model usage per UTC day, caller, user and model, kept in the database (table {@code llm_usage}) so that "how many
 * tokens did each user spend" survives restarts. A caller named {@code kind:userId} (the assistant's replies, the
 * OpenAI-compatible API) is counted for that user; other callers ({@code sensor}) for no user.
 *
 * <p>Calls are added up in memory and written every {@link #FLUSH_INTERVAL} in one transaction, so a burst of calls
 * costs one write per key, not one per call. A failed write keeps its counts for the next flush: nothing is lost while
 * the database is away, and at most the last interval's counts are lost if the process dies. Reads flush first.
 * Memory bound: {@link #MAX_PENDING_KEYS} keys wait at most (a key is a day, caller, user and model); a call for a
 * new key beyond it is not counted and the loss is logged, which takes days of the database being down.
 */
public final class UsageLedger implements UsageRecorder {
    private static final Logger log = LoggerFactory.getLogger(UsageLedger.class);
    public static final Duration FLUSH_INTERVAL = Duration.ofSeconds(10);
    static final int MAX_PENDING_KEYS = 100_000;

    /** One ledger row: the totals of a day, caller kind, user ('' for none) and model. */
    public record Row(
            LocalDate day,
            String caller,
            String userId,
            String model,
            long calls,
            long failed,
            long inputTokens,
            long outputTokens) {

        /** These counts plus another row's, under this row's key. */
        public Row plus(Row o) {
            return new Row(
                    day,
                    caller,
                    userId,
                    model,
                    calls + o.calls,
                    failed + o.failed,
                    inputTokens + o.inputTokens,
                    outputTokens + o.outputTokens);
        }
    }

    /** Nothing counted (the start of a sum; no key). */
    public static final Row NONE = new Row(null, null, null, null, 0, 0, 0, 0);

    private record Key(LocalDate day, String caller, String userId, String model) {}

    /** Mutated only inside {@code pending.compute}, which serialises per key. */
    private static final class Counts {
        long calls;
        long failed;
        long input;
        long output;

        void add(long calls, long failed, long input, long output) {
            this.calls += calls;
            this.failed += failed;
            this.input += input;
            this.output += output;
        }
    }

    private final Database db;
    private final Clock clock;
    private final Map<Key, Counts> pending = new ConcurrentHashMap<>();
    private final java.util.concurrent.atomic.AtomicLong dropped = new java.util.concurrent.atomic.AtomicLong();
    private boolean failing;

    public UsageLedger(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    @Override
    public void record(String caller, String model, boolean failed, int inputTokens, int outputTokens) {
        int colon = caller.indexOf(':');
        String kind = colon < 0 ? caller : caller.substring(0, colon);
        String user = colon < 0 ? "" : caller.substring(colon + 1);
        Key key = new Key(
                LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC), cut(kind, 64), cut(user, 64), cut(model, 128));
        add(key, 1, failed ? 1 : 0, inputTokens, outputTokens);
    }

    private void add(Key key, long calls, long failed, long input, long output) {
        if (pending.size() >= MAX_PENDING_KEYS && !pending.containsKey(key)) {
            dropped.addAndGet(calls);
            return;
        }
        pending.compute(key, (k, c) -> {
            Counts counts = c == null ? new Counts() : c;
            counts.add(calls, failed, input, output);
            return counts;
        });
    }

    /**
     * Writes what was counted since the last flush. On a database error the counts go back for the next flush.
     *
     * @return false when the write failed
     */
    public synchronized boolean flush() {
        long lost = dropped.getAndSet(0);
        if (lost > 0) {
            log.error("model usage: {} calls were not counted (database unavailable too long)", lost);
        }
        if (pending.isEmpty()) {
            return true;
        }
        Map<Key, Counts> batch = new HashMap<>();
        for (Key k : List.copyOf(pending.keySet())) {
            Counts c = pending.remove(k);
            if (c != null) {
                batch.put(k, c);
            }
        }
        try {
            db.inTransaction(h -> {
                for (var e : batch.entrySet()) {
                    Key k = e.getKey();
                    Counts c = e.getValue();
                    Map<String, Object> params = Map.of(
                            "day",
                            k.day(),
                            "caller",
                            k.caller(),
                            "user",
                            k.userId(),
                            "model",
                            k.model(),
                            "calls",
                            c.calls,
                            "failed",
                            c.failed,
                            "input",
                            c.input,
                            "output",
                            c.output);
                    int n = h.createUpdate(
                                    "UPDATE llm_usage SET calls = calls + :calls, failed = failed + :failed,"
                                            + " input_tokens = input_tokens + :input, output_tokens = output_tokens + :output"
                                            + " WHERE usage_day = :day AND caller = :caller AND user_id = :user AND model = :model")
                            .bindMap(params)
                            .execute();
                    if (n == 0) {
                        h.createUpdate("INSERT INTO llm_usage (usage_day, caller, user_id, model, calls, failed,"
                                        + " input_tokens, output_tokens)"
                                        + " VALUES (:day, :caller, :user, :model, :calls, :failed, :input, :output)")
                                .bindMap(params)
                                .execute();
                    }
                }
                return null;
            });
            if (failing) {
                log.info("model usage: written again ({} keys)", batch.size());
                failing = false;
            }
            return true;
        } catch (RuntimeException e) {
            // Another process inserting the same key first (a duplicate key) lands here too: the retry updates it.
            batch.forEach((k, c) -> add(k, c.calls, c.failed, c.input, c.output));
            if (!failing) {
                log.warn("model usage: write failed, kept for the next try: {}", e.toString());
                failing = true;
            }
            return false;
        }
    }

    /**
     * The rows of days {@code from}..{@code to} (inclusive), newest day first; {@code userId} null for every user.
     * What was counted but not yet written is written first.
     */
    public List<Row> rows(LocalDate from, LocalDate to, String userId) {
        flush();
        return db.withHandle(h -> h.createQuery("SELECT usage_day, caller, user_id, model, calls, failed, input_tokens,"
                        + " output_tokens FROM llm_usage WHERE usage_day >= :from AND usage_day <= :to"
                        + (userId == null ? "" : " AND user_id = :user")
                        + " ORDER BY usage_day DESC, caller, user_id, model")
                .bind("from", from)
                .bind("to", to)
                .bind("user", userId == null ? "" : userId)
                .map((rs, ctx) -> new Row(
                        rs.getObject("usage_day", LocalDate.class),
                        rs.getString("caller"),
                        rs.getString("user_id"),
                        rs.getString("model"),
                        rs.getLong("calls"),
                        rs.getLong("failed"),
                        rs.getLong("input_tokens"),
                        rs.getLong("output_tokens")))
                .list());
    }

    /** The rows of the last {@code days} UTC days, today included; {@code userId} null for every user. */
    public List<Row> lastDays(int days, String userId) {
        LocalDate today = LocalDate.ofInstant(clock.instant(), ZoneOffset.UTC);
        return rows(today.minusDays(days - 1L), today, userId);
    }

    /** The rows' counts added up. */
    public static Row total(List<Row> rows) {
        return rows.stream().reduce(NONE, Row::plus);
    }

    /** Totals per user and model over the rows given (days and callers added up), most tokens first. */
    public static List<Row> perUserAndModel(List<Row> rows) {
        Map<List<String>, Row> sums = new HashMap<>();
        for (Row r : rows) {
            sums.merge(
                    List.of(r.userId(), r.model()),
                    new Row(null, null, r.userId(), r.model(), 0, 0, 0, 0).plus(r),
                    Row::plus);
        }
        List<Row> out = new ArrayList<>(sums.values());
        out.sort((a, b) -> Long.compare(b.inputTokens() + b.outputTokens(), a.inputTokens() + a.outputTokens()));
        return out;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max);
    }
}
