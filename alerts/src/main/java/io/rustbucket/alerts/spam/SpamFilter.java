package io.rustbucket.alerts.spam;

import io.rustbucket.core.llm.LlmGateway;
import io.rustbucket.core.sql.Database;
import java.time.Clock;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The spam service: judges a message with its group's settings and the sender's history, logs the verdict, and
 * learns from samples and admin feedback. Samples are kept in {@code spam_samples} and learned again at start,
 * after the shipped corpus (unless turned off).
 */
public final class SpamFilter {
    private static final Logger log = LoggerFactory.getLogger(SpamFilter.class);
    public static final int MAX_SAMPLE_CHARS = MessageText.MAX_CHARS;

    /** A logged verdict: its id (for feedback) and the verdict. */
    public record Judged(String id, SpamVerdict verdict) {}

    private final SpamEngine engine;
    private final SpamGroups groups;
    private final SpamLog spamLog;
    private final Database db;
    private final Clock clock;

    public SpamFilter(Database db, Clock clock, LlmGateway gateway, boolean builtInSamples) {
        this.db = db;
        this.clock = clock;
        this.engine = new SpamEngine(clock, gateway);
        this.groups = new SpamGroups(db, clock);
        this.spamLog = new SpamLog(db, clock);
        int builtIn = 0;
        if (builtInSamples) {
            for (LabelledCorpus.Entry e : LabelledCorpus.load()) {
                engine.learn(e.text(), e.spam());
                builtIn++;
            }
        }
        // Learned row by row as they stream from the database: the sample set can be large.
        int stored = db.withHandle(h -> {
            int[] n = {0};
            h.createQuery("SELECT label, body FROM spam_samples ORDER BY created_at, id")
                    .map((rs, ctx) -> new LabelledCorpus.Entry(
                            "spam".equals(rs.getString("label")), "", "stored", rs.getString("body")))
                    .forEach(e -> {
                        engine.learn(e.text(), e.spam());
                        n[0]++;
                    });
            return n[0];
        });
        log.info("spam filter learned {} shipped and {} stored samples", builtIn, stored);
    }

    /** Judges and logs a message. The sender's message count goes up by one. */
    public Judged check(SpamMessage m, String messageRef) {
        GroupSettings g = groups.settings(m.group());
        long earlier =
                m.userId() == null || m.privileged() ? Long.MAX_VALUE : spamLog.countMessage(m.group(), m.userId());
        SpamVerdict v = engine.judge(m, g, earlier);
        return new Judged(spamLog.record(m, messageRef, v), v);
    }

    /** Teaches a labelled text. */
    public void addSample(String text, boolean spam, String source) {
        if (text == null || text.isBlank() || text.length() > MAX_SAMPLE_CHARS) {
            throw new IllegalArgumentException("text must have 1-" + MAX_SAMPLE_CHARS + " characters");
        }
        Instant now = clock.instant();
        db.useHandle(h -> h.createUpdate("INSERT INTO spam_samples (id, label, body, source, created_at)"
                        + " VALUES (:id, :l, :b, :s, :at)")
                .bind("id", UUID.randomUUID().toString())
                .bind("l", spam ? "spam" : "ham")
                .bind("b", text)
                .bind("s", SpamLog.cut(source, 64))
                .bind("at", now)
                .execute());
        engine.learn(text, spam);
    }

    /**
     * An admin's word on a logged verdict: the message becomes a sample with that label (once: a second opinion on
     * the same verdict replaces the first lesson).
     *
     * @return false when there is no such verdict
     */
    public boolean feedback(String verdictId, boolean spam, String by) {
        SpamLog.Entry e = spamLog.find(verdictId).orElse(null);
        if (e == null) {
            return false;
        }
        if (e.feedback() != null) {
            boolean before = "spam".equals(e.feedback());
            if (before == spam) {
                return true;
            }
            engine.unlearn(e.text(), before);
        }
        spamLog.setFeedback(verdictId, spam, by);
        addSample(e.text(), spam, "feedback:" + by);
        return true;
    }

    public SpamGroups groups() {
        return groups;
    }

    public SpamLog log() {
        return spamLog;
    }

    public int samples() {
        return engine.samples();
    }
}
