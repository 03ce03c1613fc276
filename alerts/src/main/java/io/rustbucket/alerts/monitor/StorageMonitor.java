package io.rustbucket.alerts.monitor;

import io.rustbucket.alerts.incident.Condition;
import io.rustbucket.alerts.incident.Severity;
import io.rustbucket.logs.index.IndexStorage;
import io.rustbucket.logs.index.LogIndex;
import java.util.ArrayList;
import java.util.List;

/** Free space on the index storage (below 15 GB or 12 % by default) and indices that refuse writes. */
public final class StorageMonitor implements Monitor {
    private static final long GB = 1024L * 1024 * 1024;

    private final LogIndex index;
    private final MonitorConfig config;

    public StorageMonitor(LogIndex index, MonitorConfig config) {
        this.index = index;
        this.config = config;
    }

    @Override
    public String name() {
        return "storage";
    }

    @Override
    public List<Condition> check() {
        IndexStorage s = index.storage();
        List<Condition> out = new ArrayList<>();
        double freeGb = s.freeBytes() / (double) GB;
        double pct = s.freePercent();
        if (freeGb < config.diskFreeMinGb() || pct < config.diskFreeMinPercent()) {
            Severity sev = pct < config.diskCriticalPercent() ? Severity.CRITICAL : Severity.WARNING;
            out.add(new Condition(
                    name() + "/disk",
                    "disk",
                    sev,
                    String.format("index storage low: %.1f GB free (%.1f %%) on %s", freeGb, pct, s.where()),
                    String.format(
                            "thresholds: %d GB or %d %% (critical below %d %%); %.1f GB total",
                            config.diskFreeMinGb(),
                            config.diskFreeMinPercent(),
                            config.diskCriticalPercent(),
                            s.totalBytes() / (double) GB),
                    freeGb));
        }
        if (!s.readOnlyIndices().isEmpty()) {
            out.add(new Condition(
                    name() + "/read-only",
                    "index-read-only",
                    Severity.CRITICAL,
                    s.readOnlyIndices().size() + " indices refuse writes",
                    "read-only: "
                            + String.join(
                                    ", ", s.readOnlyIndices().stream().limit(10).toList())
                            + "; events wait in the ingest queue until the block is lifted",
                    s.readOnlyIndices().size()));
        }
        return out;
    }
}
