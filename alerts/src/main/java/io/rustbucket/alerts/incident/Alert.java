package io.rustbucket.alerts.incident;

import java.time.Instant;

/** One incident: opened once, escalated in place, acknowledged by a person, resolved by its monitor or a person. */
public record Alert(
        String id,
        String ruleKey,
        String kind,
        Severity severity,
        Status status,
        String title,
        String detail,
        double observed,
        Instant openedAt,
        Instant updatedAt,
        String acknowledgedBy,
        Instant acknowledgedAt,
        Instant resolvedAt,
        String resolvedBy) {

    public enum Status {
        OPEN,
        ACKNOWLEDGED,
        RESOLVED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** What happened to an alert that people should hear about. */
    public enum Event {
        OPENED,
        ESCALATED,
        RESOLVED;

        @com.fasterxml.jackson.annotation.JsonValue
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** An alert and the event it just went through. */
    public record Change(Alert alert, Event event) {}
}
