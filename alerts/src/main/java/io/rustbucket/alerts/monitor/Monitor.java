package io.rustbucket.alerts.monitor;

import io.rustbucket.alerts.incident.Condition;
import java.util.List;

/** Looks at one part of the platform and says which conditions hold right now. */
public interface Monitor {
    /** The prefix of this monitor's rule keys ({@code storage}, {@code log-levels}, ...). */
    String name();

    /**
     * Every condition that holds now; empty when all is well.
     *
     * @throws RuntimeException when the monitor cannot look (its open alerts then stay as they are)
     */
    List<Condition> check();
}
