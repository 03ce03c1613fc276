package io.rustbucket.app;

import io.rustbucket.alerts.monitor.SensorWatch;
import io.rustbucket.registry.Registry;
import io.rustbucket.registry.sensors.RegisteredSensor;

/** Connects the alerts' sensor monitor to the registry's health check: its open {@code unseen} alerts. */
final class RegistrySensorWatch {
    private RegistrySensorWatch() {}

    static SensorWatch of(Registry registry) {
        return () -> registry.sensors().alerts(null, true, 1000).stream()
                .filter(a -> "unseen".equals(a.kind()))
                .map(a -> {
                    RegisteredSensor s = registry.sensors().find(a.sensorId()).orElse(null);
                    return new SensorWatch.Unseen(
                            a.sensorId(), s == null ? a.sensorId() : s.name(), s == null ? null : s.lastSeenAt());
                })
                .toList();
    }
}
