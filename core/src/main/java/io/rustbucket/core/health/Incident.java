package io.rustbucket.core.health;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tracks whether one dependency (a database, an object store, a model server) is failing, so its failure is
 * logged once when it starts, with its cause, and once when it ends, instead of once per request.
 */
public final class Incident {
    private static final Logger log = LoggerFactory.getLogger(Incident.class);

    private final String dependency;
    private final Clock clock;
    private final AtomicReference<Instant> failingSince = new AtomicReference<>();
    private volatile String lastCause = "";

    public Incident(String dependency, Clock clock) {
        this.dependency = dependency;
        this.clock = clock;
    }

    /** Records a failure; logs it only if the dependency was healthy until now. */
    public void failed(Throwable cause) {
        lastCause = describe(cause);
        if (failingSince.compareAndSet(null, clock.instant())) {
            log.error("{} is failing: {}", dependency, lastCause, cause);
        }
    }

    /** Records a success; logs the recovery if an incident was open. */
    public void succeeded() {
        Instant since = failingSince.getAndSet(null);
        if (since != null) {
            log.info(
                    "{} recovered after {} s",
                    dependency,
                    java.time.Duration.between(since, clock.instant()).toSeconds());
        }
    }

    public boolean isFailing() {
        return failingSince.get() != null;
    }

    /** The cause of the open incident, or empty when healthy. */
    public String cause() {
        return isFailing() ? lastCause : "";
    }

    private static String describe(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String msg = root.getMessage();
        return root.getClass().getSimpleName() + (msg == null ? "" : ": " + msg);
    }
}
