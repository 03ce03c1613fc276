package io.rustbucket.sensor.record;

import java.util.List;
import java.util.Map;

/** What the protocol tests read back from the events a sensor recorded. */
public final class RecordedEvents {
    private RecordedEvents() {}

    /** The fields of every event with this {@code event.action}, in recording order. */
    public static List<Map<String, Object>> withAction(List<SensorEvent> events, String action) {
        return events.stream()
                .map(SensorEvent::fields)
                .filter(f -> action.equals(f.get("event.action")))
                .toList();
    }
}
