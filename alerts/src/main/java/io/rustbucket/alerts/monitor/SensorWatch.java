package io.rustbucket.alerts.monitor;

import java.time.Instant;
import java.util.List;

/**
 * The registry's view of sensors that stopped reporting (its health check). The alerts system does not reach into
 * the registry; the launcher connects the two.
 */
public interface SensorWatch {
    SensorWatch NONE = List::of;

    record Unseen(String sensorId, String name, Instant lastSeen) {}

    List<Unseen> unseen();
}
