package io.rustbucket.logs.ingest;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.http.ProblemCode;
import io.rustbucket.core.json.Json;
import io.rustbucket.logs.ecs.EcsNormalizer;
import io.rustbucket.logs.ecs.InvalidEventException;
import io.rustbucket.logs.ecs.LogEvent;
import io.rustbucket.logs.queue.IngestQueue;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Accepts a request body: one event, an array, or NDJSON. Bad items are reported by position and the good ones
 * go on (207); a body that is not JSON, an empty array or an invalid single event is refused (400); a batch
 * that does not fit in the queue is refused whole (429, or 503 while the index is down).
 */
public final class IngestService {
    private final IngestQueue queue;
    private final Indexer indexer;
    private final Clock clock;

    public IngestService(IngestQueue queue, Indexer indexer, Clock clock) {
        this.queue = queue;
        this.indexer = indexer;
        this.clock = clock;
    }

    public IngestResult ingest(byte[] body, String contentType) {
        Instant now = clock.instant();
        String type = contentType == null ? "application/json" : contentType.toLowerCase(java.util.Locale.ROOT);
        List<LogEvent> events = new ArrayList<>();
        List<IngestResult.ItemError> errors = new ArrayList<>();
        if (type.startsWith("application/x-ndjson") || type.startsWith("application/ndjson")) {
            String[] lines = new String(body, StandardCharsets.UTF_8).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isBlank()) {
                    continue;
                }
                try {
                    events.add(EcsNormalizer.normalize(parse(lines[i].getBytes(StandardCharsets.UTF_8)), now));
                } catch (InvalidEventException e) {
                    errors.add(new IngestResult.ItemError(i, e.getMessage()));
                }
            }
            if (events.isEmpty() && errors.isEmpty()) {
                throw ApiException.validation("empty NDJSON body");
            }
        } else if (type.startsWith("application/json") || type.startsWith("text/plain")) {
            JsonNode root;
            try {
                root = parse(body);
            } catch (InvalidEventException e) {
                throw ApiException.validation(e.getMessage());
            }
            if (root.isArray()) {
                if (root.isEmpty()) {
                    throw ApiException.validation("empty array: nothing to ingest");
                }
                for (int i = 0; i < root.size(); i++) {
                    try {
                        events.add(EcsNormalizer.normalize(root.get(i), now));
                    } catch (InvalidEventException e) {
                        errors.add(new IngestResult.ItemError(i, e.getMessage()));
                    }
                }
            } else {
                try {
                    events.add(EcsNormalizer.normalize(root, now));
                } catch (InvalidEventException e) {
                    throw ApiException.validation(e.getMessage());
                }
            }
        } else {
            throw new ApiException(ProblemCode.UNSUPPORTED_MEDIA_TYPE, "send application/json or application/x-ndjson");
        }
        boolean accepted;
        try {
            accepted = events.isEmpty() || queue.offer(events);
        } catch (io.rustbucket.logs.queue.QueueUnavailableException e) {
            throw ApiException.unavailable("ingest queue unavailable; retry later", Duration.ofSeconds(5));
        }
        if (!accepted) {
            if (indexer.backendDown()) {
                throw ApiException.unavailable("log index unavailable and the buffer is full", Duration.ofSeconds(5));
            }
            throw new ApiException(
                    ProblemCode.RATE_LIMITED,
                    "ingest queue full (" + queue.capacity() + " events); retry the whole batch",
                    Map.of("queue_capacity", queue.capacity()),
                    Duration.ofSeconds(1));
        }
        return new IngestResult(events.size(), errors);
    }

    private static JsonNode parse(byte[] bytes) {
        try {
            JsonNode n = Json.mapper().readTree(bytes);
            if (n == null || n.isMissingNode()) {
                throw new InvalidEventException("empty body");
            }
            return n;
        } catch (IOException e) {
            String m = e instanceof com.fasterxml.jackson.core.JsonProcessingException jpe
                    ? jpe.getOriginalMessage()
                    : e.getMessage();
            throw new InvalidEventException(
                    "not valid JSON: " + (m == null ? "" : m.lines().findFirst().orElse("")));
        }
    }
}
