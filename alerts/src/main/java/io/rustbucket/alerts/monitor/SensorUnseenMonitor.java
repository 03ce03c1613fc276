package io.rustbucket.alerts.monitor;

import io.rustbucket.alerts.incident.Condition;
import io.rustbucket.alerts.incident.Severity;
import java.time.Clock;
import java.time.Duration;
import java.util.List;

/** One alert per sensor the registry has not heard from within its health threshold. */
public final class SensorUnseenMonitor implements Monitor {
    private final SensorWatch watch;
    private final Clock clock;

    public SensorUnseenMonitor(SensorWatch watch, Clock clock) {
        this.watch = watch;
        this.clock = clock;
    }

    @Override
    public String name() {
        return "sensors";
    }

    @Override
    public List<Condition> check() {
        return watch.unseen().stream()
                .map(u -> {
                    long minutes = u.lastSeen() == null
                            ? -1
                            : Duration.between(u.lastSeen(), clock.instant()).toMinutes();
                    return new Condition(
                            name() + "/unseen/" + u.sensorId(),
                            "sensor-unseen",
                            Severity.WARNING,
                            "sensor " + u.name() + " not seen"
                                    + (minutes < 0 ? " since it registered" : " for " + minutes + " min"),
                            "sensor id " + u.sensorId() + "; last seen "
                                    + (u.lastSeen() == null ? "never" : u.lastSeen()),
                            minutes);
                })
                .toList();
    }
}
