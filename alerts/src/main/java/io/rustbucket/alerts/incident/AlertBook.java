package io.rustbucket.alerts.incident;

import static io.rustbucket.core.sql.Rows.instant;

import io.rustbucket.core.sql.Database;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * The alerts table and its incident rules: a condition opens one alert and is notified once; while it lasts the
 * alert is updated in place and notified again only if it gets worse; when the monitor no longer sees it, the
 * alert resolves. A condition that comes back within the cooldown after resolving reopens the same alert quietly
 * (a flapping disk does not page anyone twice).
 */
public final class AlertBook {
    public static final String MONITOR_ACTOR = "monitor";

    private final Database db;
    private final Clock clock;

    public AlertBook(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /**
     * Records what one monitor sees now. Open alerts of that monitor whose condition is gone resolve.
     *
     * @param firing every condition the monitor sees (an empty list means all is well)
     * @return the changes to notify
     */
    public List<Alert.Change> observe(String monitor, List<Condition> firing, Duration cooldown) {
        return db.inTransaction(h -> {
            Instant now = clock.instant();
            List<Alert.Change> changes = new ArrayList<>();
            Set<String> seen = new HashSet<>();
            for (Condition c : firing) {
                if (!c.monitor().equals(monitor)) {
                    throw new IllegalArgumentException(c.ruleKey() + " does not belong to monitor " + monitor);
                }
                if (seen.add(c.ruleKey())) {
                    observeOne(h, c, now, cooldown).ifPresent(changes::add);
                }
            }
            for (Alert open : h.createQuery("SELECT * FROM alerts WHERE status <> 'resolved' AND rule_key LIKE :p")
                    .bind("p", monitor + "/%")
                    .map((rs, ctx) -> row(rs))
                    .list()) {
                if (!seen.contains(open.ruleKey())) {
                    resolve(h, open.id(), MONITOR_ACTOR, now);
                    changes.add(new Alert.Change(find(h, open.id()).orElseThrow(), Alert.Event.RESOLVED));
                }
            }
            return changes;
        });
    }

    private Optional<Alert.Change> observeOne(Handle h, Condition c, Instant now, Duration cooldown) {
        // The incident this condition belongs to: the open alert, else one resolved within the cooldown (a flap).
        Optional<Alert> current = h.createQuery(
                        "SELECT * FROM alerts WHERE rule_key = :k AND status <> 'resolved' ORDER BY opened_at DESC")
                .bind("k", c.ruleKey())
                .map((rs, ctx) -> row(rs))
                .findFirst()
                .or(() -> h.createQuery("SELECT * FROM alerts WHERE rule_key = :k AND status = 'resolved'"
                                + " AND resolved_at >= :since ORDER BY resolved_at DESC")
                        .bind("k", c.ruleKey())
                        .bind("since", now.minus(cooldown))
                        .map((rs, ctx) -> row(rs))
                        .findFirst());
        if (current.isPresent()) {
            Alert a = current.get();
            if (a.status() == Alert.Status.RESOLVED) {
                h.createUpdate("UPDATE alerts SET status = 'open', resolved_at = NULL, resolved_by = NULL,"
                                + " acknowledged_by = NULL, acknowledged_at = NULL WHERE id = :id")
                        .bind("id", a.id())
                        .execute();
            }
            boolean worse = c.severity().ordinal() > a.severity().ordinal();
            update(h, a.id(), worse ? c.severity() : a.severity(), c, now);
            return worse
                    ? Optional.of(new Alert.Change(find(h, a.id()).orElseThrow(), Alert.Event.ESCALATED))
                    : Optional.empty();
        }
        String id = UUID.randomUUID().toString();
        h.createUpdate("INSERT INTO alerts (id, rule_key, kind, severity, status, title, detail, observed, opened_at,"
                        + " updated_at) VALUES (:id, :k, :kind, :sev, 'open', :title, :detail, :obs, :at, :at)")
                .bind("id", id)
                .bind("k", c.ruleKey())
                .bind("kind", c.kind())
                .bind("sev", c.severity().id())
                .bind("title", c.title())
                .bind("detail", c.detail())
                .bind("obs", c.observed())
                .bind("at", now)
                .execute();
        return Optional.of(new Alert.Change(find(h, id).orElseThrow(), Alert.Event.OPENED));
    }

    private static void update(Handle h, String id, Severity severity, Condition c, Instant now) {
        h.createUpdate("UPDATE alerts SET severity = :sev, title = :title, detail = :detail, observed = :obs,"
                        + " updated_at = :at WHERE id = :id")
                .bind("sev", severity.id())
                .bind("title", c.title())
                .bind("detail", c.detail())
                .bind("obs", c.observed())
                .bind("at", now)
                .bind("id", id)
                .execute();
    }

    /** A person has seen it: it stays open (and escalation still notifies) until it clears or is resolved. */
    public Optional<Alert> acknowledge(String id, String by) {
        return db.inTransaction(h -> {
            h.createUpdate("UPDATE alerts SET status = 'acknowledged', acknowledged_by = :by, acknowledged_at = :at"
                            + " WHERE id = :id AND status = 'open'")
                    .bind("by", by)
                    .bind("at", clock.instant())
                    .bind("id", id)
                    .execute();
            return find(h, id);
        });
    }

    /** A person closes it; if the condition is still there, the monitor's next run opens a new incident. */
    public Optional<Alert.Change> resolveByHand(String id, String by) {
        return db.inTransaction(h -> {
            int n = resolve(h, id, by, clock.instant());
            return n == 0 ? Optional.empty() : find(h, id).map(a -> new Alert.Change(a, Alert.Event.RESOLVED));
        });
    }

    private static int resolve(Handle h, String id, String by, Instant now) {
        return h.createUpdate("UPDATE alerts SET status = 'resolved', resolved_at = :at, resolved_by = :by,"
                        + " updated_at = :at WHERE id = :id AND status <> 'resolved'")
                .bind("at", now)
                .bind("by", by)
                .bind("id", id)
                .execute();
    }

    public Optional<Alert> find(String id) {
        return db.withHandle(h -> find(h, id));
    }

    private static Optional<Alert> find(Handle h, String id) {
        return h.createQuery("SELECT * FROM alerts WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findOne();
    }

    /**
     * Newest first.
     *
     * @param status null = any; {@code active} = open or acknowledged
     * @param kind null = any
     */
    public List<Alert> list(String status, String kind, int limit) {
        String sql = "SELECT * FROM alerts WHERE 1 = 1"
                + (status == null ? "" : "active".equals(status) ? " AND status <> 'resolved'" : " AND status = :s")
                + (kind == null ? "" : " AND kind = :kind")
                + " ORDER BY opened_at DESC, id LIMIT :limit";
        return db.withHandle(h -> {
            var q = h.createQuery(sql).bind("limit", limit);
            if (status != null && !"active".equals(status)) {
                q.bind("s", status);
            }
            if (kind != null) {
                q.bind("kind", kind);
            }
            return q.map((rs, ctx) -> row(rs)).list();
        });
    }

    static Alert row(ResultSet rs) throws SQLException {
        return new Alert(
                rs.getString("id"),
                rs.getString("rule_key"),
                rs.getString("kind"),
                Severity.parse(rs.getString("severity")),
                Alert.Status.valueOf(rs.getString("status").toUpperCase(java.util.Locale.ROOT)),
                rs.getString("title"),
                rs.getString("detail"),
                rs.getDouble("observed"),
                instant(rs, "opened_at"),
                instant(rs, "updated_at"),
                rs.getString("acknowledged_by"),
                instant(rs, "acknowledged_at"),
                instant(rs, "resolved_at"),
                rs.getString("resolved_by"));
    }
}
