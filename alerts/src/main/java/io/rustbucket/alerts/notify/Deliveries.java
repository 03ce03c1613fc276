package io.rustbucket.alerts.notify;

import static io.rustbucket.core.sql.Rows.instant;

import io.rustbucket.alerts.incident.Alert;
import io.rustbucket.alerts.incident.AlertBook;
import io.rustbucket.core.sql.Database;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The notices to send, kept in {@code alert_deliveries} so a restart or a dead mail relay loses none. Each is tried
 * until it goes out, with backoff (10 s, 30 s, 2 min, 10 min, 30 min, then hourly, or the receiver's
 * {@code Retry-After}); after {@link #MAX_ATTEMPTS} attempts, on a permanent refusal, or when still unsent after
 * {@link #EXPIRY} (overflow policy: a notice a day late is noise), it is marked {@code failed} with the reason,
 * visible in the API and counted in metrics.
 */
public final class Deliveries {
    private static final Logger log = LoggerFactory.getLogger(Deliveries.class);
    public static final int MAX_ATTEMPTS = 10;
    public static final Duration EXPIRY = Duration.ofHours(24);
    private static final int BATCH = 50;
    private static final List<Duration> BACKOFF = List.of(
            Duration.ofSeconds(10),
            Duration.ofSeconds(30),
            Duration.ofMinutes(2),
            Duration.ofMinutes(10),
            Duration.ofMinutes(30),
            Duration.ofHours(1));

    /** One delivery as the API shows it. */
    public record Delivery(
            String id,
            String alertId,
            String channel,
            String event,
            String status,
            int attempts,
            Instant nextAttemptAt,
            String lastError,
            Instant createdAt,
            Instant sentAt) {}

    private final Database db;
    private final Clock clock;
    private final AlertBook book;
    private final Map<String, Notifier> notifiers;

    public Deliveries(Database db, Clock clock, AlertBook book, List<Notifier> notifiers) {
        this.db = db;
        this.clock = clock;
        this.book = book;
        this.notifiers = notifiers.stream().collect(Collectors.toMap(Notifier::channel, Function.identity()));
    }

    /** Queues the change for every channel whose route wants it; returns how many notices were queued. */
    public int enqueue(Alert.Change change) {
        Instant now = clock.instant();
        int n = 0;
        for (Notifier notifier : notifiers.values()) {
            if (!notifier.route().accepts(change.alert(), change.event())) {
                continue;
            }
            db.useHandle(h -> h.createUpdate(
                            "INSERT INTO alert_deliveries (id, alert_id, channel, event, status,"
                                    + " attempts, next_attempt_at, created_at) VALUES (:id, :a, :c, :e, 'pending', 0, :at, :at)")
                    .bind("id", UUID.randomUUID().toString())
                    .bind("a", change.alert().id())
                    .bind("c", notifier.channel())
                    .bind("e", change.event().id())
                    .bind("at", now)
                    .execute());
            n++;
        }
        return n;
    }

    /** Sends what is due now; returns how many went out. Called by the alerts scheduler. */
    public int sendDue() {
        Instant now = clock.instant();
        List<Delivery> due = db.withHandle(h -> h.createQuery("SELECT * FROM alert_deliveries WHERE status = 'pending'"
                        + " AND next_attempt_at <= :now ORDER BY next_attempt_at, id LIMIT :n")
                .bind("now", now)
                .bind("n", BATCH)
                .map((rs, ctx) -> row(rs))
                .list());
        int sent = 0;
        for (Delivery d : due) {
            sent += attempt(d, now) ? 1 : 0;
        }
        return sent;
    }

    private boolean attempt(Delivery d, Instant now) {
        Notifier notifier = notifiers.get(d.channel());
        Alert alert = book.find(d.alertId()).orElse(null);
        if (notifier == null || alert == null) {
            finish(d, "failed", notifier == null ? "channel " + d.channel() + " no longer configured" : "alert gone");
            return false;
        }
        if (d.createdAt().plus(EXPIRY).isBefore(now)) {
            finish(
                    d,
                    "failed",
                    "expired: not delivered within " + EXPIRY.toHours() + " h; last error " + d.lastError());
            return false;
        }
        try {
            notifier.send(alert, Alert.Event.valueOf(d.event().toUpperCase(java.util.Locale.ROOT)), d.id());
            db.useHandle(h -> h.createUpdate("UPDATE alert_deliveries SET status = 'sent', attempts = attempts + 1,"
                            + " sent_at = :at, last_error = NULL WHERE id = :id")
                    .bind("at", clock.instant())
                    .bind("id", d.id())
                    .execute());
            return true;
        } catch (NotifyException | IllegalStateException e) {
            int attempts = d.attempts() + 1;
            boolean permanent = e instanceof NotifyException ne && ne.permanent();
            String error = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
            if (permanent || attempts >= MAX_ATTEMPTS) {
                log.warn("{} notice for alert {} failed for good: {}", d.channel(), d.alertId(), error);
                db.useHandle(h -> h.createUpdate("UPDATE alert_deliveries SET status = 'failed', attempts = :n,"
                                + " last_error = :err WHERE id = :id")
                        .bind("n", attempts)
                        .bind("err", cut(error))
                        .bind("id", d.id())
                        .execute());
                return false;
            }
            Duration wait = e instanceof NotifyException ne && ne.retryAfter() != null
                    ? ne.retryAfter()
                    : BACKOFF.get(Math.min(attempts - 1, BACKOFF.size() - 1));
            log.info(
                    "{} notice for alert {} failed ({}); retry in {} s",
                    d.channel(),
                    d.alertId(),
                    error,
                    wait.toSeconds());
            db.useHandle(h -> h.createUpdate("UPDATE alert_deliveries SET attempts = :n, last_error = :err,"
                            + " next_attempt_at = :next WHERE id = :id")
                    .bind("n", attempts)
                    .bind("err", cut(error))
                    .bind("next", now.plus(wait))
                    .bind("id", d.id())
                    .execute());
            return false;
        }
    }

    private void finish(Delivery d, String status, String error) {
        db.useHandle(h -> h.createUpdate("UPDATE alert_deliveries SET status = :s, last_error = :err WHERE id = :id")
                .bind("s", status)
                .bind("err", cut(error))
                .bind("id", d.id())
                .execute());
    }

    public List<Delivery> forAlert(String alertId) {
        return db.withHandle(
                h -> h.createQuery("SELECT * FROM alert_deliveries WHERE alert_id = :a" + " ORDER BY created_at, id")
                        .bind("a", alertId)
                        .map((rs, ctx) -> row(rs))
                        .list());
    }

    /** Deliveries by status ({@code pending}, {@code sent}, {@code failed}). */
    public Map<String, Long> counts() {
        return db.withHandle(h -> h
                .createQuery("SELECT status, COUNT(*) AS n FROM alert_deliveries GROUP BY status")
                .map((rs, ctx) -> Map.entry(rs.getString("status"), rs.getLong("n")))
                .list()
                .stream()
                .collect(Collectors.toMap(Map.Entry::getKey, Map.Entry::getValue)));
    }

    public List<String> channels() {
        return notifiers.keySet().stream().sorted().toList();
    }

    private static Delivery row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Delivery(
                rs.getString("id"),
                rs.getString("alert_id"),
                rs.getString("channel"),
                rs.getString("event"),
                rs.getString("status"),
                rs.getInt("attempts"),
                instant(rs, "next_attempt_at"),
                rs.getString("last_error"),
                instant(rs, "created_at"),
                instant(rs, "sent_at"));
    }

    private static String cut(String s) {
        return s == null || s.length() <= 1000 ? s : s.substring(0, 1000);
    }
}
