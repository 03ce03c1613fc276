package io.rustbucket.logs.index.opensearch;

import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.rustbucket.core.health.PartState;
import io.rustbucket.core.json.Json;
import io.rustbucket.logs.ecs.IndexNames;
import io.rustbucket.logs.ecs.LogEvent;
import io.rustbucket.logs.index.IndexUnavailableException;
import io.rustbucket.logs.index.LogDocument;
import io.rustbucket.logs.index.LogIndex;
import io.rustbucket.logs.index.LogQuery;
import io.rustbucket.logs.index.SearchPage;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Daily indices on an OpenSearch cluster over its REST API: an index template (explicit mappings, alias),
 * {@code _bulk} in batches bounded by bytes and count with per-item results (items answered 429 or 5xx are
 * retried with backoff, other refusals reported), searches over {@code {prefix}-*} with {@code search_after},
 * and an ISM retention policy when the plugin exists (else retention deletes whole indices).
 */
public final class OpenSearchIndex implements LogIndex {
    private static final Logger log = LoggerFactory.getLogger(OpenSearchIndex.class);

    private final HttpClient http;
    private final URI base;
    private final String authorization;
    private final OpenSearchConfig config;
    private final boolean ism;

    public OpenSearchIndex(OpenSearchConfig config, int retentionDays) {
        this.config = config;
        this.base = URI.create(config.url().replaceAll("/+$", "") + "/");
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
        this.authorization = config.username().isEmpty()
                ? null
                : "Basic "
                        + Base64.getEncoder()
                                .encodeToString(
                                        (config.username() + ":" + config.password()).getBytes(StandardCharsets.UTF_8));
        putTemplate();
        this.ism = putRetentionPolicy(retentionDays);
    }

    @Override
    public Map<Integer, String> index(List<LogEvent> events) {
        BulkLines lines = new BulkLines(events.size());
        for (LogEvent e : events) {
            lines.writeBytes(ACTION_INDEX);
            lines.writeQuoted(physical(e.indexName()));
            lines.writeBytes(ACTION_ID);
            lines.writeQuoted(e.id());
            lines.writeBytes(ACTION_END);
            try (var g = Json.mapper().createGenerator(lines)) {
                LogDocument.write(e, g);
            } catch (IOException impossible) { // strings, into memory
                throw new IllegalStateException(impossible);
            }
            lines.write('\n');
            lines.endEvent();
        }
        Map<Integer, String> failures = new HashMap<>();
        List<Integer> positions = new ArrayList<>();
        long bytes = 0;
        for (int i = 0; i < events.size(); i++) {
            positions.add(i);
            bytes += lines.length(i);
            if (positions.size() >= config.bulkMaxEvents() || bytes >= config.bulkMaxBytes()) {
                bulk(positions, lines, failures);
                positions = new ArrayList<>();
                bytes = 0;
            }
        }
        if (!positions.isEmpty()) {
            bulk(positions, lines, failures);
        }
        return failures;
    }

    private static final byte[] ACTION_INDEX = "{\"index\":{\"_index\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ACTION_ID = ",\"_id\":".getBytes(StandardCharsets.UTF_8);
    private static final byte[] ACTION_END = "}}\n".getBytes(StandardCharsets.UTF_8);

    /**
     * Every event's bulk lines (action and document) in one buffer, built once as UTF-8: sizing, retries and splits
     * reuse them, and a bulk of consecutive events (the usual case) is sent straight from the buffer. Under a
     * sustained flood the per-line arrays and the bulk body copied from them were a fifth of what ingest allocated.
     */
    static final class BulkLines extends java.io.ByteArrayOutputStream {
        private final int[] ends;
        private int events;

        BulkLines(int events) {
            super(Math.max(1024, events * 768));
            this.ends = new int[events];
        }

        void writeQuoted(String s) {
            write('"');
            writeBytes(com.fasterxml.jackson.core.io.JsonStringEncoder.getInstance()
                    .quoteAsUTF8(s));
            write('"');
        }

        /** The lines written since the last call are one event's. */
        void endEvent() {
            ends[events++] = count;
        }

        private int start(int event) {
            return event == 0 ? 0 : ends[event - 1];
        }

        int length(int event) {
            return ends[event] - start(event);
        }

        HttpRequest.BodyPublisher body(List<Integer> positions) {
            Slice s = slice(positions);
            return HttpRequest.BodyPublishers.ofByteArray(s.bytes(), s.offset(), s.length());
        }

        record Slice(byte[] bytes, int offset, int length) {}

        /** These events' lines (ascending positions): a slice of the buffer when they are consecutive, else a copy. */
        Slice slice(List<Integer> positions) {
            int first = positions.getFirst();
            int last = positions.getLast();
            if (last - first + 1 == positions.size()) {
                return new Slice(buf, start(first), ends[last] - start(first));
            }
            int size = 0;
            for (int pos : positions) {
                size += length(pos);
            }
            byte[] body = new byte[size];
            int at = 0;
            for (int pos : positions) {
                System.arraycopy(buf, start(pos), body, at, length(pos));
                at += length(pos);
            }
            return new Slice(body, 0, size);
        }
    }

    /**
     * Sends one bulk request; items answered 429/5xx (or a whole request answered so) are retried with backoff.
     * A request refused as a whole (OpenSearch validates some things, like id length, for the whole request) is
     * split in halves until only the refused items remain, so one bad event never takes good ones with it.
     */
    private void bulk(List<Integer> positions, BulkLines lines, Map<Integer, String> failures) {
        long backoff = 200;
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> r = sendBody("POST", BULK, lines.body(positions), "application/x-ndjson");
            if (r.statusCode() == 200) {
                if (!bulkHadErrors(r.body())) {
                    return;
                }
                JsonNode items = read(r.body()).path("items");
                List<Integer> retry = new ArrayList<>();
                for (int k = 0; k < items.size(); k++) {
                    JsonNode item = items.get(k).path("index");
                    int status = item.path("status").asInt();
                    int pos = positions.get(k);
                    if (status == 429 || status >= 500) {
                        retry.add(pos);
                    } else if (status >= 300) {
                        failures.put(
                                pos,
                                item.path("error").path("type").asText("error") + ": "
                                        + item.path("error").path("reason").asText(""));
                    }
                }
                if (retry.isEmpty()) {
                    return;
                }
                positions = retry;
            } else if (r.statusCode() != 429 && r.statusCode() < 500) {
                if (positions.size() > 1) {
                    int half = positions.size() / 2;
                    bulk(new ArrayList<>(positions.subList(0, half)), lines, failures);
                    bulk(new ArrayList<>(positions.subList(half, positions.size())), lines, failures);
                } else {
                    failures.put(
                            positions.getFirst(),
                            "refused with " + r.statusCode() + ": "
                                    + abbreviate(read(r.body())
                                            .path("error")
                                            .path("reason")
                                            .asText(r.body())));
                }
                return;
            }
            if (attempt >= config.maxAttempts()) {
                throw new IndexUnavailableException(
                        "OpenSearch kept answering 429/5xx after " + attempt + " attempts", null);
            }
            sleep(backoff);
            backoff = Math.min(10_000, backoff * 2);
        }
    }

    @Override
    public SearchPage search(LogQuery q) {
        ObjectNode body = Json.mapper().createObjectNode();
        body.put("size", q.size());
        body.put("track_total_hits", true);
        ArrayNode sort = body.putArray("sort");
        sort.addObject().putObject("@timestamp").put("order", "desc");
        sort.addObject().putObject("event.id").put("order", "desc");
        ObjectNode bool = body.putObject("query").putObject("bool");
        if (q.q().isEmpty()) {
            bool.putArray("must").addObject().putObject("match_all");
        } else {
            bool.putArray("must")
                    .addObject()
                    .putObject("query_string")
                    .put("query", q.q())
                    .put("default_field", "message");
        }
        ArrayNode filter = bool.putArray("filter");
        q.terms().forEach((field, value) -> filter.addObject().putObject("term").put(field, value));
        if (q.from() != null || q.to() != null) {
            ObjectNode range = filter.addObject()
                    .putObject("range")
                    .putObject("@timestamp")
                    .put("format", "epoch_millis");
            if (q.from() != null) {
                range.put("gte", q.from().toEpochMilli());
            }
            if (q.to() != null) {
                range.put("lte", q.to().toEpochMilli());
            }
        }
        if (q.after() != null) {
            body.putArray("search_after")
                    .add(q.after().timestampMillis())
                    .add(q.after().id());
        }
        String service = q.terms().get("service.name");
        String target =
                config.indexPrefix() + "-" + (service == null ? "" : IndexNames.safeService(service) + "-") + "*";
        HttpResponse<String> r = send(
                "POST",
                target + "/_search?ignore_unavailable=true&allow_no_indices=true",
                Json.write(body),
                "application/json");
        if (r.statusCode() == 400) {
            throw new IllegalArgumentException("cannot parse q: "
                    + read(r.body())
                            .path("error")
                            .path("root_cause")
                            .path(0)
                            .path("reason")
                            .asText(""));
        }
        if (r.statusCode() != 200) {
            throw new IndexUnavailableException(
                    "search answered " + r.statusCode() + ": " + abbreviate(r.body()), null);
        }
        JsonNode hits = read(r.body()).path("hits");
        List<Map<String, Object>> out = new ArrayList<>();
        String next = null;
        for (JsonNode h : hits.path("hits")) {
            out.add(Json.mapper().convertValue(h.path("_source"), Map.class));
            JsonNode s = h.path("sort");
            next = new LogQuery.Cursor(s.path(0).asLong(), s.path(1).asText()).encode();
        }
        return new SearchPage(out, hits.path("total").path("value").asLong(), out.size() == q.size() ? next : null);
    }

    @Override
    public List<String> indices() {
        HttpResponse<String> r =
                send("GET", "_cat/indices/" + config.indexPrefix() + "-*?format=json&h=index", null, null);
        if (r.statusCode() == 404) {
            return List.of();
        }
        List<String> names = new ArrayList<>();
        for (JsonNode n : read(r.body())) {
            String name = n.path("index").asText();
            names.add("logs" + name.substring(config.indexPrefix().length()));
        }
        names.sort(null);
        return names;
    }

    @Override
    public void deleteIndex(String name) {
        HttpResponse<String> r = send("DELETE", physical(name), null, null);
        if (r.statusCode() != 200 && r.statusCode() != 404) {
            throw new IndexUnavailableException("deleting " + name + " answered " + r.statusCode(), null);
        }
    }

    /** Makes everything written searchable now (tests; the cluster does it by itself every refresh interval). */
    public void refresh() {
        send(
                "POST",
                config.indexPrefix() + "-*/_refresh?ignore_unavailable=true&allow_no_indices=true",
                "",
                "application/json");
    }

    @Override
    public io.rustbucket.logs.index.IndexStorage storage() {
        // The node with the least free space decides: OpenSearch blocks writes when any data node fills up.
        JsonNode nodes = read(send("GET", "_nodes/stats/fs", null, null).body()).path("nodes");
        String where = base.toString();
        long free = Long.MAX_VALUE;
        long total = 0;
        for (JsonNode n : nodes) {
            JsonNode t = n.path("fs").path("total");
            if (t.has("available_in_bytes") && t.path("available_in_bytes").asLong() < free) {
                free = t.path("available_in_bytes").asLong();
                total = t.path("total_in_bytes").asLong();
                where = "opensearch node " + n.path("name").asText("?");
            }
        }
        HttpResponse<String> r = send(
                "GET",
                config.indexPrefix() + "-*/_settings/index.blocks.*?ignore_unavailable=true&allow_no_indices=true",
                null,
                null);
        java.util.List<String> readOnly = new java.util.ArrayList<>();
        read(r.body()).fields().forEachRemaining(e -> {
            JsonNode blocks = e.getValue().path("settings").path("index").path("blocks");
            if (blocks.path("read_only_allow_delete").asBoolean(false)
                    || blocks.path("read_only").asBoolean(false)
                    || blocks.path("write").asBoolean(false)) {
                readOnly.add("logs" + e.getKey().substring(config.indexPrefix().length()));
            }
        });
        return new io.rustbucket.logs.index.IndexStorage(
                where, free == Long.MAX_VALUE ? 0 : free, total, java.util.List.copyOf(readOnly));
    }

    @Override
    public PartState probe() {
        try {
            HttpResponse<String> r = send("GET", "_cluster/health", null, null);
            String status = read(r.body()).path("status").asText("unknown");
            String detail = "opensearch " + base + " cluster " + status
                    + (ism ? ", ISM retention" : ", retention by index deletion");
            return status.equals("red") ? PartState.down("logs-index", detail) : PartState.ready("logs-index", detail);
        } catch (IndexUnavailableException e) {
            return PartState.down("logs-index", e.getMessage());
        }
    }

    @Override
    public String describe() {
        return "opensearch " + base;
    }

    @Override
    public void close() {
        http.close();
    }

    /** True when the cluster has the ISM plugin and the retention policy is installed. */
    public boolean ismRetention() {
        return ism;
    }

    private String physical(String name) {
        return config.indexPrefix() + name.substring("logs".length());
    }

    /** Index template: explicit mappings for what the platform searches; `fields` stored only; alias. */
    private void putTemplate() {
        ObjectNode t = Json.mapper().createObjectNode();
        t.putArray("index_patterns").add(config.indexPrefix() + "-*");
        t.put("priority", 100);
        ObjectNode template = t.putObject("template");
        template.putObject("settings")
                .put("number_of_shards", 1)
                .put("number_of_replicas", config.replicas())
                .put("refresh_interval", config.refreshIntervalSecs() + "s");
        template.putObject("aliases").putObject(config.indexPrefix());
        ObjectNode mappings = template.putObject("mappings");
        mappings.putArray("dynamic_templates")
                .addObject()
                .putObject("strings_as_keywords")
                .put("match_mapping_type", "string")
                .putObject("mapping")
                .put("type", "keyword")
                .put("ignore_above", LogDocument.KEYWORD_MAX_CHARS);
        ObjectNode props = mappings.putObject("properties");
        props.putObject("@timestamp").put("type", "date");
        for (String text : LogDocument.TEXT_FIELDS) {
            props.putObject(text).put("type", "text");
        }
        props.putObject("labels").put("type", "flat_object");
        props.putObject("fields").put("type", "object").put("enabled", false);
        HttpResponse<String> r =
                send("PUT", "_index_template/" + config.indexPrefix() + "-template", Json.write(t), "application/json");
        if (r.statusCode() != 200) {
            throw new IndexUnavailableException("OpenSearch refused the index template: " + abbreviate(r.body()), null);
        }
    }

    /** Installs an ISM delete policy bound to new indices by ism_template; false when the plugin is absent. */
    private boolean putRetentionPolicy(int days) {
        HttpResponse<String> plugins = send("GET", "_cat/plugins?format=json", null, null);
        if (!plugins.body().contains("index-management")) {
            log.info("OpenSearch has no ISM plugin: retention deletes whole daily indices");
            return false;
        }
        ObjectNode p = Json.mapper().createObjectNode();
        ObjectNode policy = p.putObject("policy");
        policy.put("description", "Rustbucket log retention: delete daily indices after " + days + " days");
        policy.put("default_state", "hot");
        ArrayNode states = policy.putArray("states");
        ObjectNode hot = states.addObject().put("name", "hot");
        hot.putArray("actions");
        hot.putArray("transitions")
                .addObject()
                .put("state_name", "delete")
                .putObject("conditions")
                .put("min_index_age", days + "d");
        ObjectNode delete = states.addObject().put("name", "delete");
        delete.putArray("actions").addObject().putObject("delete");
        delete.putArray("transitions");
        policy.putArray("ism_template").addObject().putArray("index_patterns").add(config.indexPrefix() + "-*");
        HttpResponse<String> r = send(
                "PUT",
                "_plugins/_ism/policies/" + config.indexPrefix() + "-retention",
                Json.write(p),
                "application/json");
        return r.statusCode() == 200 || r.statusCode() == 201 || r.statusCode() == 409;
    }

    private HttpResponse<String> send(String method, String path, String body, String contentType) {
        return sendBody(
                method,
                path,
                body == null
                        ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8),
                contentType);
    }

    private HttpResponse<String> sendBody(
            String method, String path, HttpRequest.BodyPublisher body, String contentType) {
        HttpRequest.Builder b = HttpRequest.newBuilder(base.resolve(path))
                .timeout(Duration.ofSeconds(30))
                .method(method, body);
        if (contentType != null) {
            b.header("Content-Type", contentType);
        }
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        try {
            return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IndexUnavailableException("OpenSearch at " + base + " unreachable: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IndexUnavailableException("interrupted", e);
        }
    }

    /**
     * The bulk response cut to what we read: the node leaves out the rest of each item (index, id, version, shards),
     * a fifth of the bytes to send and parse for a clean bulk of 5,000.
     */
    private static final String BULK = "_bulk?filter_path=errors,items.*.status,items.*.error";

    /** The top-level {@code errors} flag, read without parsing the items: false means every item was indexed. */
    private static boolean bulkHadErrors(String body) {
        try (var p = Json.mapper().createParser(body)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return true;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                if (name.equals("errors")) {
                    return p.currentToken() != JsonToken.VALUE_FALSE;
                }
                p.skipChildren();
            }
            return true;
        } catch (IOException e) {
            return true; // the full reading reports what is wrong with it
        }
    }

    private static JsonNode read(String body) {
        try {
            return Json.mapper().readTree(body);
        } catch (IOException e) {
            throw new IndexUnavailableException(
                    "OpenSearch answered something that is not JSON: " + abbreviate(body), e);
        }
    }

    private static String abbreviate(String s) {
        return s.length() > 300 ? s.substring(0, 300) + "..." : s;
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IndexUnavailableException("interrupted", e);
        }
    }
}
