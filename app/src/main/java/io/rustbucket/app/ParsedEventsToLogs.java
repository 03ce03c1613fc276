package io.rustbucket.app;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rustbucket.core.json.Json;
import io.rustbucket.logs.LogPlatform;
import io.rustbucket.registry.parse.ParsedEventSink;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Hands the registry parser's events to the log platform's ingest (service {@code sensor}), so archived logs of
 * every sensor are searchable. Event ids make a re-sent event the same document, never a second one; a refused
 * batch (queue full, index down) throws, and the parser retries the object at its next run.
 */
final class ParsedEventsToLogs implements ParsedEventSink {
    private final LogPlatform logs;

    ParsedEventsToLogs(LogPlatform logs) {
        this.logs = logs;
    }

    @Override
    public void accept(List<String> eventLines) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String line : eventLines) {
            try {
                ObjectNode doc = (ObjectNode) Json.mapper().readTree(line);
                doc.put("service.name", "sensor");
                out.writeBytes(Json.mapper().writeValueAsBytes(doc));
                out.write('\n');
            } catch (IOException | ClassCastException e) {
                throw new IllegalArgumentException("the parser passed a line that is not a JSON object", e);
            }
        }
        var result = logs.ingest(out.toByteArray(), "application/x-ndjson");
        if (!result.errors().isEmpty()) {
            // Lines the parser accepted but ingest refused (say, a field of the wrong type): reported, not retried.
            org.slf4j.LoggerFactory.getLogger(ParsedEventsToLogs.class)
                    .warn(
                            "log platform refused {} of {} parsed events: {}",
                            result.errors().size(),
                            eventLines.size(),
                            result.errors().get(0));
        }
    }
}
