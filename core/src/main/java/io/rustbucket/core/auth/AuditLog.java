package io.rustbucket.core.auth;

import io.rustbucket.core.sql.Database;
import java.time.Clock;
import java.util.UUID;

/** Who changed what, for state changes that matter (sign-ins, tokens, users, sensor status). */
public final class AuditLog {
    private final Database db;
    private final Clock clock;

    public AuditLog(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public void record(String actor, String action, String target, String detail) {
        db.useHandle(h -> h.createUpdate("INSERT INTO audit_log (id, at, actor, action, target, detail) "
                        + "VALUES (:id, :at, :actor, :action, :target, :detail)")
                .bind("id", UUID.randomUUID().toString())
                .bind("at", clock.instant())
                .bind("actor", cut(actor, 64))
                .bind("action", cut(action, 64))
                .bind("target", cut(target, 256))
                .bind("detail", cut(detail, 1024))
                .execute());
    }

    private static String cut(String s, int max) {
        String v = s == null ? "" : s;
        return v.length() <= max ? v : v.substring(0, max);
    }
}
