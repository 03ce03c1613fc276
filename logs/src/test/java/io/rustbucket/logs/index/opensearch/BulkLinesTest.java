package io.rustbucket.logs.index.opensearch;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The shared bulk buffer: consecutive events are a slice of it, a retry of scattered ones a copy of their lines. */
class BulkLinesTest {
    private static OpenSearchIndex.BulkLines lines(String... events) {
        OpenSearchIndex.BulkLines lines = new OpenSearchIndex.BulkLines(events.length);
        for (String e : events) {
            lines.writeBytes(e.getBytes(StandardCharsets.UTF_8));
            lines.endEvent();
        }
        return lines;
    }

    private static String text(OpenSearchIndex.BulkLines.Slice s) {
        return new String(s.bytes(), s.offset(), s.length(), StandardCharsets.UTF_8);
    }

    @Test
    void consecutiveEventsAreOneSliceOfTheBuffer() {
        var lines = lines("a\nA\n", "b\nB\n", "c\nC\n", "d\nD\n");
        var middle = lines.slice(List.of(1, 2));
        assertThat(text(middle)).isEqualTo("b\nB\nc\nC\n");
        assertThat(middle.bytes()).isSameAs(lines.slice(List.of(0, 1, 2, 3)).bytes()); // no copy
        assertThat(lines.length(3)).isEqualTo(4);
    }

    @Test
    void scatteredEventsAreCopiedInOrder() {
        var lines = lines("a\nA\n", "bb\nBB\n", "c\nC\n", "dd\nDD\n");
        var retry = lines.slice(List.of(0, 3));
        assertThat(text(retry)).isEqualTo("a\nA\ndd\nDD\n");
        assertThat(retry.offset()).isZero();
        assertThat(text(lines.slice(List.of(1, 3)))).isEqualTo("bb\nBB\ndd\nDD\n");
    }
}
