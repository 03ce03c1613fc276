package io.rustbucket.logs.ingest;

import java.util.List;

/** The outcome of one ingest request, before it becomes an HTTP answer. */
public record IngestResult(int accepted, List<ItemError> errors) {
    /** An item that was refused, by its position in the request (0-based; NDJSON: line number - 1). */
    public record ItemError(int index, String reason) {}
}
