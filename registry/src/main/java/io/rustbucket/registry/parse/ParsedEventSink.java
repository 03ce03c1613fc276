package io.rustbucket.registry.parse;

import java.util.List;

/**
 * Where parsed events go besides SQL: the log platform's ingest when it runs (wired by the app). Receives each
 * batch of valid event lines as the sensor wrote them (ECS JSON); a sink that fails throws, and the parser retries
 * the object at its next run.
 */
@FunctionalInterface
public interface ParsedEventSink {
    ParsedEventSink NONE = lines -> {};

    void accept(List<String> eventLines);
}
