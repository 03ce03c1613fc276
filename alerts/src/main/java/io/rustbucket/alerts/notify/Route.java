package io.rustbucket.alerts.notify;

import io.rustbucket.alerts.incident.Alert;
import io.rustbucket.alerts.incident.Severity;
import java.util.Set;

/**
 * Per-channel routing: alerts at or above a severity, of the listed kinds (empty = every kind).
 *
 * @param resolved whether the channel also hears when an alert resolves
 */
public record Route(Severity minSeverity, Set<String> kinds, boolean resolved) {
    public Route {
        minSeverity = minSeverity == null ? Severity.WARNING : minSeverity;
        kinds = kinds == null ? Set.of() : Set.copyOf(kinds);
    }

    public boolean accepts(Alert alert, Alert.Event event) {
        if (event == Alert.Event.RESOLVED && !resolved) {
            return false;
        }
        return alert.severity().atLeast(minSeverity) && (kinds.isEmpty() || kinds.contains(alert.kind()));
    }
}
