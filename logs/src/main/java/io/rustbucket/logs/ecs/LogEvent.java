package io.rustbucket.logs.ecs;

import java.time.Instant;
import java.util.Map;

/**
 * One normalised log event.
 *
 * @param id deterministic: the client's {@code event.id}, else a hash of the event as the client sent it, so a
 *     retried batch overwrites instead of duplicating
 * @param ecs every other ECS field, flattened to dotted names, as strings (arrays as compact JSON)
 * @param fieldsJson the free {@code fields} object (and unknown top-level keys), stored but not indexed field by field
 */
public record LogEvent(
        String id,
        Instant timestamp,
        String service,
        String level,
        String message,
        String traceId,
        Map<String, String> labels,
        Map<String, String> ecs,
        String fieldsJson) {
    public LogEvent {
        labels = Map.copyOf(labels);
        ecs = Map.copyOf(ecs);
    }

    /** The daily index this event belongs to. */
    public String indexName() {
        return IndexNames.of(service, timestamp);
    }
}
