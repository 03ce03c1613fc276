package io.rustbucket.logs.index.lucene;

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
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.MultiReader;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.queryparser.classic.ParseException;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.MatchAllDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.SearcherManager;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TermRangeQuery;
import org.apache.lucene.search.TopFieldDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Embedded Lucene: one index directory per daily index under the data directory, near-real-time searchers
 * refreshed every {@code refresh} (<= 1 s), commits every few seconds and at close. Writes replace by id.
 */
public final class LuceneIndex implements LogIndex {
    private static final Logger log = LoggerFactory.getLogger(LuceneIndex.class);
    static final String ID = "_id";
    static final String TS = "@timestamp";
    static final String SOURCE = "_source";
    private static final Sort NEWEST_FIRST =
            new Sort(new SortField(TS, SortField.Type.LONG, true), new SortField(ID, SortField.Type.STRING, true));

    /** One daily index: its writer and its near-real-time searcher. */
    private record Shard(FSDirectory dir, IndexWriter writer, SearcherManager searchers) {}

    private final Path root;
    private final Map<String, Shard> shards = new ConcurrentHashMap<>();
    private final ScheduledExecutorService refresher;
    private final StandardAnalyzer analyzer = new StandardAnalyzer();

    public LuceneIndex(Path root, Duration refresh) {
        this.root = root;
        try {
            Files.createDirectories(root);
            try (Stream<Path> dirs = Files.list(root)) {
                dirs.filter(Files::isDirectory)
                        .map(p -> p.getFileName().toString())
                        .filter(n -> IndexNames.parse(n).isPresent())
                        .forEach(this::shard);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open log indices under " + root, e);
        }
        refresher = Executors.newSingleThreadScheduledExecutor(
                Thread.ofPlatform().daemon().name("lucene-refresh").factory());
        long ms = refresh.toMillis();
        refresher.scheduleWithFixedDelay(this::refreshAll, ms, ms, TimeUnit.MILLISECONDS);
        refresher.scheduleWithFixedDelay(this::commitAll, 5, 5, TimeUnit.SECONDS);
    }

    @Override
    public Map<Integer, String> index(List<LogEvent> events) {
        Map<Integer, String> failures = new HashMap<>();
        for (int i = 0; i < events.size(); i++) {
            LogEvent e = events.get(i);
            try {
                shard(e.indexName()).writer().updateDocument(new Term(ID, e.id()), document(e));
            } catch (IllegalArgumentException bad) {
                failures.put(i, bad.getMessage());
            } catch (IOException | org.apache.lucene.store.AlreadyClosedException io) {
                throw new IndexUnavailableException("writing to " + e.indexName() + " failed: " + io.getMessage(), io);
            }
        }
        return failures;
    }

    @Override
    public SearchPage search(LogQuery query) {
        List<Map.Entry<Shard, IndexSearcher>> acquired = new ArrayList<>();
        try {
            for (var entry : shards.entrySet()) {
                if (relevant(entry.getKey(), query)) {
                    Shard s = entry.getValue();
                    acquired.add(Map.entry(s, s.searchers().acquire()));
                }
            }
            if (acquired.isEmpty()) {
                return new SearchPage(List.of(), 0, null);
            }
            IndexReader[] readers =
                    acquired.stream().map(e -> e.getValue().getIndexReader()).toArray(IndexReader[]::new);
            try (MultiReader multi = new MultiReader(readers, false)) {
                IndexSearcher searcher = new IndexSearcher(multi);
                Query q = build(query, false);
                long total = searcher.count(build(query, true));
                TopFieldDocs top = searcher.search(q, query.size(), NEWEST_FIRST);
                StoredFields stored = multi.storedFields();
                List<Map<String, Object>> hits = new ArrayList<>();
                String next = null;
                for (ScoreDoc sd : top.scoreDocs) {
                    Document d = stored.document(sd.doc);
                    @SuppressWarnings("unchecked")
                    Map<String, Object> source = Json.mapper().readValue(d.getBinaryValue(SOURCE).bytes, Map.class);
                    hits.add(source);
                    next = new LogQuery.Cursor(d.getField(TS).numericValue().longValue(), d.get(ID)).encode();
                }
                return new SearchPage(hits, total, hits.size() == query.size() ? next : null);
            }
        } catch (IOException e) {
            throw new IndexUnavailableException("search failed: " + e.getMessage(), e);
        } finally {
            for (var e : acquired) {
                try {
                    e.getKey().searchers().release(e.getValue());
                } catch (IOException ignored) {
                    // releasing a searcher only decrements a reference count
                }
            }
        }
    }

    @Override
    public List<String> indices() {
        return shards.keySet().stream().sorted().toList();
    }

    @Override
    public void deleteIndex(String name) {
        Shard s = shards.remove(name);
        try {
            if (s != null) {
                s.searchers().close();
                s.writer().rollback();
                s.dir().close();
            }
            Path dir = root.resolve(name);
            if (Files.isDirectory(dir)) {
                try (Stream<Path> walk = Files.walk(dir)) {
                    for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                        Files.delete(p);
                    }
                }
            }
        } catch (IOException e) {
            throw new IndexUnavailableException("deleting " + name + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public io.rustbucket.logs.index.IndexStorage storage() {
        try {
            java.nio.file.FileStore fs = java.nio.file.Files.getFileStore(root);
            java.util.List<String> readOnly = java.nio.file.Files.isWritable(root)
                    ? java.util.List.of()
                    : java.util.List.of(root.getFileName().toString());
            return new io.rustbucket.logs.index.IndexStorage(
                    root.toString(), fs.getUsableSpace(), fs.getTotalSpace(), readOnly);
        } catch (java.io.IOException e) {
            throw new IndexUnavailableException("cannot read the disk of " + root + ": " + e.getMessage(), e);
        }
    }

    @Override
    public PartState probe() {
        return PartState.ready("logs-index", "lucene " + root + ", " + shards.size() + " daily indices");
    }

    @Override
    public String describe() {
        return "lucene " + root;
    }

    @Override
    public void close() {
        // Never interrupt: a Lucene thread interrupted during file I/O closes the channel and poisons the writer.
        refresher.shutdown();
        try {
            refresher.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Shard s : shards.values()) {
            try {
                s.searchers().close();
                s.writer().close(); // commits
                s.dir().close();
            } catch (IOException e) {
                log.warn("closing log index failed: {}", e.getMessage());
            }
        }
        shards.clear();
    }

    /** Refreshes near-real-time searchers now, waiting for one in progress (tests and the refresher call this). */
    public void refreshAll() {
        for (Shard s : shards.values()) {
            try {
                s.searchers().maybeRefreshBlocking();
            } catch (IOException | org.apache.lucene.store.AlreadyClosedException e) {
                log.debug("refresh skipped: {}", e.getMessage());
            }
        }
    }

    private void commitAll() {
        for (Shard s : shards.values()) {
            try {
                if (s.writer().hasUncommittedChanges()) {
                    s.writer().commit();
                }
            } catch (IOException | org.apache.lucene.store.AlreadyClosedException e) {
                log.warn("commit failed: {}", e.getMessage());
            }
        }
    }

    private Shard shard(String name) {
        return shards.computeIfAbsent(name, n -> {
            try {
                FSDirectory dir = FSDirectory.open(root.resolve(n));
                IndexWriter writer = new IndexWriter(dir, new IndexWriterConfig(analyzer).setRAMBufferSizeMB(32));
                return new Shard(dir, writer, new SearcherManager(writer, null));
            } catch (IOException e) {
                throw new IndexUnavailableException("cannot open index " + n + ": " + e.getMessage(), e);
            }
        });
    }

    private static boolean relevant(String indexName, LogQuery q) {
        var parsed = IndexNames.parse(indexName);
        if (parsed.isEmpty()) {
            return false;
        }
        String service = q.terms().get("service.name");
        if (service != null
                && !IndexNames.safeService(service).equals(parsed.get().service())) {
            return false;
        }
        LocalDate day = parsed.get().day();
        return (q.from() == null
                        || !day.isBefore(q.from().atZone(ZoneOffset.UTC).toLocalDate()))
                && (q.to() == null || !day.isAfter(q.to().atZone(ZoneOffset.UTC).toLocalDate()));
    }

    private Query build(LogQuery query, boolean forCount) {
        BooleanQuery.Builder b = new BooleanQuery.Builder();
        if (query.q().isEmpty()) {
            b.add(new MatchAllDocsQuery(), BooleanClause.Occur.MUST);
        } else {
            try {
                QueryParser parser = new QueryParser("message", analyzer);
                parser.setAllowLeadingWildcard(false);
                b.add(parser.parse(query.q()), BooleanClause.Occur.MUST);
            } catch (ParseException e) {
                throw new IllegalArgumentException(
                        "cannot parse q: " + e.getMessage().lines().findFirst().orElse(""));
            }
        }
        query.terms()
                .forEach((field, value) -> b.add(new TermQuery(new Term(field, value)), BooleanClause.Occur.FILTER));
        if (query.from() != null || query.to() != null) {
            long from = query.from() == null ? Long.MIN_VALUE : query.from().toEpochMilli();
            long to = query.to() == null ? Long.MAX_VALUE : query.to().toEpochMilli();
            b.add(LongPoint.newRangeQuery(TS, from, to), BooleanClause.Occur.FILTER);
        }
        if (!forCount && query.after() != null) {
            // search_after as a constraint: strictly older than the cursor, or as old with a smaller id.
            long ts = query.after().timestampMillis();
            BooleanQuery.Builder sameTs = new BooleanQuery.Builder()
                    .add(LongPoint.newExactQuery(TS, ts), BooleanClause.Occur.FILTER)
                    .add(
                            TermRangeQuery.newStringRange(
                                    ID, null, query.after().id(), true, false),
                            BooleanClause.Occur.FILTER);
            BooleanQuery.Builder after = new BooleanQuery.Builder()
                    .add(LongPoint.newRangeQuery(TS, Long.MIN_VALUE, ts - 1), BooleanClause.Occur.SHOULD)
                    .add(sameTs.build(), BooleanClause.Occur.SHOULD)
                    .setMinimumNumberShouldMatch(1);
            b.add(after.build(), BooleanClause.Occur.FILTER);
        }
        return b.build();
    }

    private static Document document(LogEvent e) throws IOException {
        Document d = new Document();
        d.add(new StringField(ID, e.id(), Field.Store.YES));
        d.add(new SortedDocValuesField(ID, new BytesRef(e.id())));
        long ts = e.timestamp().toEpochMilli();
        d.add(new LongPoint(TS, ts));
        d.add(new NumericDocValuesField(TS, ts));
        d.add(new StoredField(TS, ts));
        LogDocument.forEachField(e, (name, value) -> addField(d, name, value));
        e.labels().forEach((k, v) -> addField(d, "labels." + k, v));
        d.add(new StoredField(SOURCE, LogDocument.json(e)));
        return d;
    }

    private static void addField(Document d, String name, String value) {
        if (LogDocument.TEXT_FIELDS.contains(name)) {
            d.add(new TextField(name, value, Field.Store.NO));
        } else if (value.length() <= LogDocument.KEYWORD_MAX_CHARS) {
            d.add(new StringField(name, value, Field.Store.NO));
        }
    }
}
