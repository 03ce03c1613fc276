package io.rustbucket.logs.index;

import io.rustbucket.logs.index.lucene.LuceneIndex;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;

class LuceneIndexTest implements LogIndexContract {
    @TempDir
    Path dir;

    private final List<LogIndex> opened = new ArrayList<>();

    @Override
    public LogIndex index() {
        LuceneIndex idx = new LuceneIndex(dir.resolve("idx-" + opened.size()), Duration.ofMillis(200));
        opened.add(idx);
        return idx;
    }

    @Override
    public void refresh(LogIndex index) {
        ((LuceneIndex) index).refreshAll();
    }

    @AfterEach
    void close() {
        opened.forEach(LogIndex::close);
    }
}
