package io.rustbucket.logs.retention;

import io.rustbucket.logs.ecs.IndexNames;
import io.rustbucket.logs.index.LogIndex;
import java.time.Clock;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Deletes whole daily indices older than the retention period (UTC days). Runs at start and daily. */
public final class RetentionJob {
    private static final Logger log = LoggerFactory.getLogger(RetentionJob.class);

    private final LogIndex index;
    private final int days;
    private final Clock clock;

    public RetentionJob(LogIndex index, int days, Clock clock) {
        this.index = index;
        this.days = days;
        this.clock = clock;
    }

    /** Deletes expired indices; returns their names. An index of today minus {@code days} is kept. */
    public List<String> run() {
        LocalDate oldestKept = LocalDate.now(clock.withZone(ZoneOffset.UTC)).minusDays(days);
        List<String> deleted = new ArrayList<>();
        for (String name : index.indices()) {
            IndexNames.parse(name).filter(p -> p.day().isBefore(oldestKept)).ifPresent(p -> {
                index.deleteIndex(name);
                deleted.add(name);
            });
        }
        if (!deleted.isEmpty()) {
            log.info("retention: deleted {} daily indices older than {}: {}", deleted.size(), oldestKept, deleted);
        }
        return deleted;
    }
}
