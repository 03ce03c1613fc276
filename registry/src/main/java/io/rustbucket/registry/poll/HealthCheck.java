package io.rustbucket.registry.poll;

import io.rustbucket.registry.sensors.RegisteredSensor;
import io.rustbucket.registry.sensors.SensorStatus;
import io.rustbucket.registry.sensors.Sensors;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The "health" job: an Active sensor not seen (no successful poll) for the threshold gets one open {@code unseen}
 * alert; the alert resolves itself at the first check after the sensor is seen again.
 */
public final class HealthCheck {
    public static final String UNSEEN = "unseen";
    private static final Logger log = LoggerFactory.getLogger(HealthCheck.class);

    /** What one check changed. */
    public record Result(int checked, int opened, int resolved, int unseen) {}

    private final Sensors sensors;
    private final Duration threshold;
    private final Clock clock;

    public HealthCheck(Sensors sensors, Duration threshold, Clock clock) {
        this.sensors = sensors;
        this.threshold = threshold;
        this.clock = clock;
    }

    public Result run() {
        Instant now = clock.instant();
        int opened = 0;
        int resolved = 0;
        int unseen = 0;
        List<RegisteredSensor> fleet = sensors.list();
        int active = 0;
        for (RegisteredSensor s : fleet) {
            if (s.status() != SensorStatus.ACTIVE) {
                // A sensor taken out of service (Inactive, Review) is no longer expected to answer.
                if (sensors.resolveAlert(s.id(), UNSEEN)) {
                    resolved++;
                }
                continue;
            }
            active++;
            Instant seen = s.lastSeenAt() != null ? s.lastSeenAt() : s.registeredAt();
            if (Duration.between(seen, now).compareTo(threshold) >= 0) {
                unseen++;
                String detail = (s.lastSeenAt() == null
                                ? "never seen since registration at " + s.registeredAt()
                                : "last seen " + s.lastSeenAt())
                        + (s.lastError() == null ? "" : "; last error: " + s.lastError());
                if (sensors.openAlert(s.id(), UNSEEN, detail)) {
                    opened++;
                    log.warn("sensor {} ({}) unseen for {}+ min: {}", s.name(), s.id(), threshold.toMinutes(), detail);
                }
            } else if (sensors.resolveAlert(s.id(), UNSEEN)) {
                resolved++;
                log.info("sensor {} ({}) seen again at {}; alert resolved", s.name(), s.id(), s.lastSeenAt());
            }
        }
        return new Result(active, opened, resolved, unseen);
    }
}
