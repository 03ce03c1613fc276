package io.rustbucket.registry.sensors;

import java.util.Locale;

/** A sensor's place in the fleet; only {@code Active} sensors are polled. Spelled as the spec spells them. */
public enum SensorStatus {
    REVIEW("Review"),
    ACTIVE("Active"),
    INACTIVE("Inactive");

    private final String label;

    SensorStatus(String label) {
        this.label = label;
    }

    @com.fasterxml.jackson.annotation.JsonValue
    public String label() {
        return label;
    }

    /** Parses a label in any case; null when it is not one. */
    public static SensorStatus parse(String s) {
        if (s == null) {
            return null;
        }
        for (SensorStatus v : values()) {
            if (v.label.equalsIgnoreCase(s.strip()) || v.name().equals(s.strip().toUpperCase(Locale.ROOT))) {
                return v;
            }
        }
        return null;
    }
}
