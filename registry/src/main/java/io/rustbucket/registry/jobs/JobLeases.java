package io.rustbucket.registry.jobs;

import io.rustbucket.core.sql.Database;
import io.rustbucket.core.sql.Rows;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Database leases that make each registry job run in one process at a time, however many registry processes
 * share the database. A lease is taken by one conditional UPDATE (free or expired), renewed while the job makes
 * progress, and released with the job's result; a crashed holder's lease simply expires.
 */
public final class JobLeases {
    /** A job's row, for the jobs API. */
    public record JobState(
            String job,
            String holder,
            Instant expiresAt,
            Instant lastStartedAt,
            Instant lastFinishedAt,
            String lastResult) {}

    private final Database db;
    private final Clock clock;
    private final String holder;

    /** @param holder this process's name in the lease table */
    public JobLeases(Database db, Clock clock, String holder) {
        this.db = db;
        this.clock = clock;
        this.holder = holder.length() > 64 ? holder.substring(0, 64) : holder;
    }

    /** A held lease. */
    public final class Lease implements AutoCloseable {
        private final String job;
        private final Duration ttl;
        private volatile boolean held = true;

        private Lease(String job, Duration ttl) {
            this.job = job;
            this.ttl = ttl;
        }

        /** Extends the lease; false (and the job should stop) when another process took it over. */
        public boolean renew() {
            if (!held) {
                return false;
            }
            Instant now = clock.instant();
            held = db.withHandle(h -> h.createUpdate(
                                    "UPDATE job_leases SET expires_at = :exp WHERE job = :job AND holder = :me")
                            .bind("exp", now.plus(ttl))
                            .bind("job", job)
                            .bind("me", holder)
                            .execute())
                    == 1;
            return held;
        }

        /** Releases the lease and records the result. */
        public void finish(String result) {
            if (!held) {
                return;
            }
            held = false;
            db.useHandle(h -> h.createUpdate("UPDATE job_leases SET holder = NULL, expires_at = NULL, "
                            + "last_finished_at = :now, last_result = :r WHERE job = :job AND holder = :me")
                    .bind("now", clock.instant())
                    .bind("r", result.length() > 500 ? result.substring(0, 500) : result)
                    .bind("job", job)
                    .bind("me", holder)
                    .execute());
        }

        @Override
        public void close() {
            finish("stopped without a result");
        }
    }

    /**
     * Takes the job's lease if it is free.
     *
     * @param spacing when not null, also require that the last run finished at least this long ago (scheduled
     *     runs of several processes then add up to one run per interval); manual runs pass null
     */
    public Optional<Lease> acquire(String job, Duration ttl, Duration spacing) {
        Instant now = clock.instant();
        int taken = db.withHandle(h -> h.createUpdate("UPDATE job_leases SET holder = :me, expires_at = :exp, "
                        + "last_started_at = :now WHERE job = :job AND (holder IS NULL OR expires_at IS NULL "
                        + "OR expires_at <= :now)"
                        + (spacing == null ? "" : " AND (last_finished_at IS NULL OR last_finished_at <= :cutoff)"))
                .bind("me", holder)
                .bind("exp", now.plus(ttl))
                .bind("now", now)
                .bind("job", job)
                .bindMap(spacing == null ? java.util.Map.of() : java.util.Map.of("cutoff", now.minus(spacing)))
                .execute());
        return taken == 1 ? Optional.of(new Lease(job, ttl)) : Optional.empty();
    }

    public List<JobState> states() {
        return db.withHandle(h -> h.createQuery("SELECT * FROM job_leases ORDER BY job")
                .map((rs, ctx) -> new JobState(
                        rs.getString("job"),
                        rs.getString("holder"),
                        Rows.instant(rs, "expires_at"),
                        Rows.instant(rs, "last_started_at"),
                        Rows.instant(rs, "last_finished_at"),
                        rs.getString("last_result")))
                .list());
    }
}
