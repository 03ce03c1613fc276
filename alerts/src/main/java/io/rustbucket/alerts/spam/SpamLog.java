package io.rustbucket.alerts.spam;

import static io.rustbucket.core.sql.Rows.instant;

import com.fasterxml.jackson.core.type.TypeReference;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.sql.Database;
import io.rustbucket.core.sql.DuplicateKeyException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Every verdict with the checks behind it, the action taken, and the admins' feedback; plus member counts. */
public final class SpamLog {
    /** A logged verdict as the API and console show it. */
    public record Entry(
            String id,
            String group,
            String userId,
            String userName,
            String messageRef,
            String text,
            boolean spam,
            double score,
            List<CheckResult> checks,
            SpamAction action,
            String actionError,
            Instant at,
            String feedback,
            String feedbackBy) {}

    static final int MAX_TEXT_CHARS = MessageText.MAX_CHARS;

    private final Database db;
    private final Clock clock;

    public SpamLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    String record(SpamMessage m, String messageRef, SpamVerdict v) {
        String id = UUID.randomUUID().toString();
        String text = m.text().length() > MAX_TEXT_CHARS ? m.text().substring(0, MAX_TEXT_CHARS) : m.text();
        db.useHandle(h -> h.createUpdate("INSERT INTO spam_verdicts (id, group_id, user_id, user_name, message_ref,"
                        + " body, spam, score, checks, action, created_at) VALUES (:id, :g, :u, :n, :ref, :body,"
                        + " :spam, :score, :checks, :action, :at)")
                .bind("id", id)
                .bind("g", m.group() == null ? "default" : m.group())
                .bind("u", cut(m.userId(), 64))
                .bind("n", cut(m.userName(), 128))
                .bind("ref", cut(messageRef, 64))
                .bind("body", text)
                .bind("spam", v.spam())
                .bind("score", v.score())
                .bind("checks", Json.write(v.checks()))
                .bind("action", v.action().id())
                .bind("at", clock.instant())
                .execute());
        return id;
    }

    /** Records what happened when the action was carried out (null error = done). */
    public void actionResult(String id, SpamAction taken, String error) {
        db.useHandle(h -> h.createUpdate("UPDATE spam_verdicts SET action = :a, action_error = :e WHERE id = :id")
                .bind("a", taken.id())
                .bind("e", cut(error, 500))
                .bind("id", id)
                .execute());
    }

    boolean setFeedback(String id, boolean spam, String by) {
        return db.withHandle(h -> h.createUpdate("UPDATE spam_verdicts SET feedback = :f, feedback_by = :by,"
                                + " feedback_at = :at WHERE id = :id")
                        .bind("f", spam ? "spam" : "ham")
                        .bind("by", by)
                        .bind("at", clock.instant())
                        .bind("id", id)
                        .execute())
                == 1;
    }

    public Optional<Entry> find(String id) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM spam_verdicts WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findOne());
    }

    /** Newest first; {@code group} null = every group; {@code spamOnly} = verdicts that said spam. */
    public List<Entry> list(String group, boolean spamOnly, int limit) {
        String sql = "SELECT * FROM spam_verdicts WHERE 1 = 1"
                + (group == null ? "" : " AND group_id = :g")
                + (spamOnly ? " AND spam = :t" : "")
                + " ORDER BY created_at DESC, id LIMIT :limit";
        return db.withHandle(h -> {
            var q = h.createQuery(sql).bind("limit", limit);
            if (group != null) {
                q.bind("g", group);
            }
            if (spamOnly) {
                q.bind("t", true);
            }
            return q.map((rs, ctx) -> row(rs)).list();
        });
    }

    /** Counts the message and answers how many the user sent to the group before it. */
    long countMessage(String group, String userId) {
        String g = group == null ? "default" : group;
        String u = cut(userId, 64);
        for (int attempt = 0; ; attempt++) {
            try {
                return countOnce(g, u);
            } catch (DuplicateKeyException e) {
                if (attempt >= 3) {
                    throw e; // the first-message insert raced another; the next read sees its row
                }
            }
        }
    }

    private long countOnce(String g, String u) {
        return db.inTransaction(h -> {
            Optional<Long> n = h.createQuery("SELECT messages FROM spam_members WHERE group_id = :g AND user_id = :u")
                    .bind("g", g)
                    .bind("u", u)
                    .mapTo(Long.class)
                    .findOne();
            if (n.isEmpty()) {
                h.createUpdate("INSERT INTO spam_members (group_id, user_id, messages, first_seen_at)"
                                + " VALUES (:g, :u, 1, :at)")
                        .bind("g", g)
                        .bind("u", u)
                        .bind("at", clock.instant())
                        .execute();
                return 0L;
            }
            h.createUpdate("UPDATE spam_members SET messages = messages + 1 WHERE group_id = :g AND user_id = :u")
                    .bind("g", g)
                    .bind("u", u)
                    .execute();
            return n.get();
        });
    }

    private static Entry row(java.sql.ResultSet rs) throws java.sql.SQLException {
        List<CheckResult> checks;
        try {
            checks = Json.mapper().readValue(rs.getString("checks"), new TypeReference<List<CheckResult>>() {});
        } catch (java.io.IOException e) {
            checks = List.of();
        }
        return new Entry(
                rs.getString("id"),
                rs.getString("group_id"),
                rs.getString("user_id"),
                rs.getString("user_name"),
                rs.getString("message_ref"),
                rs.getString("body"),
                rs.getBoolean("spam"),
                rs.getDouble("score"),
                checks,
                SpamAction.parse(rs.getString("action")),
                rs.getString("action_error"),
                instant(rs, "created_at"),
                rs.getString("feedback"),
                rs.getString("feedback_by"));
    }

    static String cut(String s, int max) {
        return s == null || s.length() <= max ? s : s.substring(0, max);
    }
}
