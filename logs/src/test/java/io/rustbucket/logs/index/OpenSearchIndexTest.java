package io.rustbucket.logs.index;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustbucket.core.health.PartState;
import io.rustbucket.core.testing.TestEnv;
import io.rustbucket.logs.index.opensearch.OpenSearchConfig;
import io.rustbucket.logs.index.opensearch.OpenSearchIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The log index contract against a real OpenSearch node (RUSTBUCKET_TEST_OPENSEARCH_URL; `.ci/run` starts one
 * with scripts/opensearch-test-node.sh). Each test writes under its own index prefix.
 */
class OpenSearchIndexTest implements LogIndexContract {
    private final List<OpenSearchIndex> opened = new ArrayList<>();
    private final List<String> prefixes = new ArrayList<>();

    @Override
    public LogIndex index() {
        String url = TestEnv.require("RUSTBUCKET_TEST_OPENSEARCH_URL", "OpenSearch");
        String prefix = "t" + UUID.randomUUID().toString().replace("-", "").substring(0, 10);
        prefixes.add(prefix);
        OpenSearchIndex idx = new OpenSearchIndex(new OpenSearchConfig(url, null, null, prefix, 0, 1, null, 50, 3), 7);
        opened.add(idx);
        return idx;
    }

    @Override
    public void refresh(LogIndex index) {
        ((OpenSearchIndex) index).refresh();
    }

    @AfterEach
    void cleanUp() {
        for (OpenSearchIndex idx : opened) {
            idx.indices().forEach(idx::deleteIndex);
            idx.close();
        }
    }

    @Test
    void bulksAreSplitByCountAndReportEachRefusal() {
        OpenSearchIndex idx = (OpenSearchIndex) index();
        List<io.rustbucket.logs.ecs.LogEvent> events = new ArrayList<>();
        for (int i = 0; i < 120; i++) { // bulk_max_events is 50 here: three requests
            events.add(LogIndexContract.at("2026-05-05T10:00:00Z", "bulk", "INFO", "event " + i, "1.1.1.1"));
        }
        // An id within our 256-character limit but over OpenSearch's 512 bytes (750 bytes of UTF-8): that item
        // alone is refused, and reported by its position.
        String longId = "\u65e5".repeat(250);
        events.add(LogIndexContract.event("{\"@timestamp\":\"2026-05-05T10:00:00Z\",\"service.name\":\"bulk\","
                + "\"message\":\"bad\",\"event\":{\"id\":\"" + longId + "\"}}"));
        var failures = idx.index(events);
        idx.refresh();
        assertThat(failures).containsOnlyKeys(120);
        assertThat(failures.get(120)).contains("too long");
        assertThat(idx.search(new LogQuery("", java.util.Map.of("service.name", "bulk"), null, null, 1, null))
                        .total())
                .isEqualTo(120);
    }

    @Test
    void anIndexWithAWriteBlockIsReportedReadOnly() throws Exception {
        OpenSearchIndex idx = (OpenSearchIndex) index();
        idx.index(List.of(LogIndexContract.at("2026-05-05T10:00:00Z", "blocked", "INFO", "a", "1.1.1.1")));
        String physical = prefixes.getLast() + "-blocked-2026.05.05";
        java.net.http.HttpResponse<String> r = java.net.http.HttpClient.newHttpClient()
                .send(
                        java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                                        TestEnv.require("RUSTBUCKET_TEST_OPENSEARCH_URL", "OpenSearch")
                                                        .replaceAll("/+$", "")
                                                + "/" + physical + "/_settings"))
                                .header("Content-Type", "application/json")
                                .PUT(java.net.http.HttpRequest.BodyPublishers.ofString(
                                        "{\"index.blocks.write\": true}"))
                                .build(),
                        java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        assertThat(idx.storage().readOnlyIndices()).containsExactly("logs-blocked-2026.05.05");
    }

    @Test
    void readinessNamesTheClusterAndTheRetentionMode() {
        OpenSearchIndex idx = (OpenSearchIndex) index();
        PartState s = idx.probe();
        assertThat(s.status()).isEqualTo(PartState.Status.READY);
        assertThat(s.detail()).contains("cluster").contains(idx.ismRetention() ? "ISM" : "index deletion");
    }
}
