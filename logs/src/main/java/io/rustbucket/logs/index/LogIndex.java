package io.rustbucket.logs.index;

import io.rustbucket.core.health.PartState;
import io.rustbucket.logs.ecs.LogEvent;
import java.util.List;
import java.util.Map;

/** Daily log indices behind one interface: embedded Lucene or an OpenSearch cluster. Thread-safe. */
public interface LogIndex extends AutoCloseable {
    /**
     * Creates or replaces events by id (a retried batch never duplicates).
     *
     * @return the items the backend refused for good, by position in {@code events}, with the reason
     * @throws IndexUnavailableException when nothing could be written; the caller retries the whole batch
     */
    Map<Integer, String> index(List<LogEvent> events);

    /**
     * @throws IllegalArgumentException for a query string the backend cannot parse
     */
    SearchPage search(LogQuery query);

    /** Names of the daily indices that exist. */
    List<String> indices();

    /** Deletes a whole daily index (retention). */
    void deleteIndex(String name);

    PartState probe();

    /**
     * Free space and write blocks of the index storage.
     *
     * @throws IndexUnavailableException when the backend cannot be asked
     */
    IndexStorage storage();

    String describe();

    @Override
    void close();
}
