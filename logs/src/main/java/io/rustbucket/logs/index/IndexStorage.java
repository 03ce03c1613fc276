package io.rustbucket.logs.index;

import java.util.List;

/**
 * Where the indices are kept and how full it is: what the disk and read-only monitors watch.
 *
 * @param where the disk (a path, or an OpenSearch node name) with the least free space
 * @param readOnlyIndices indices that refuse writes (OpenSearch's flood-stage block, a read-only Lucene folder)
 */
public record IndexStorage(String where, long freeBytes, long totalBytes, List<String> readOnlyIndices) {
    public IndexStorage {
        readOnlyIndices = List.copyOf(readOnlyIndices);
    }

    public double freePercent() {
        return totalBytes <= 0 ? 100 : 100.0 * freeBytes / totalBytes;
    }
}
