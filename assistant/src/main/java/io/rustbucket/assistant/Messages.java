package io.rustbucket.assistant;

import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.sql.Database;
import io.rustbucket.core.sql.DuplicateKeyException;
import io.rustbucket.core.sql.Rows;
import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import org.jdbi.v3.core.Handle;

/**
 * Messages in thread trees, with the authorisation rules that concern them: members write, viewers read; only the
 * author (or an owner/admin) edits, deletes and restores. A tree is read in path order, page by page.
 */
public final class Messages {
    public static final int MAX_CONTENT_CHARS = 32_000;
    public static final int MAX_DEPTH = 99;
    static final String ROOT_PATH = "000000";
    static final Set<String> WRITABLE_ROLES = Set.of("user", "system");

    /** A thread in the list. */
    public record ThreadSummary(
            String rootId,
            String rootExcerpt,
            String rootAuthor,
            Instant createdAt,
            Instant lastActivityAt,
            long messageCount,
            long participantCount) {}

    public record ThreadPage(List<ThreadSummary> threads, String nextAfter) {}

    public record TreePage(String rootId, List<Message> messages, String nextCursor) {}

    public record Chunk(int seq, String content, Instant createdAt) {}

    private final Database db;
    private final Conversations conversations;
    private final Clock clock;

    public Messages(Database db, Conversations conversations, Clock clock) {
        this.db = db;
        this.conversations = conversations;
        this.clock = clock;
    }

    /** Starts a thread. System messages (instructions for the model) need an owner or admin. */
    public Message root(String userId, String conversationId, String content, String role) {
        String r = role(role);
        conversations.require(
                conversationId, userId, "system".equals(r) ? ConversationRole.ADMIN : ConversationRole.MEMBER);
        String id = UUID.randomUUID().toString();
        String text = content(content);
        Message m = db.inTransaction(
                h -> insert(h, id, conversationId, id, null, userId, r, text, ROOT_PATH, 0, "complete", null));
        conversations.touch(conversationId);
        return m;
    }

    public Message reply(String userId, String parentId, String content, String role) {
        Message parent = find(parentId).orElseThrow(() -> ApiException.notFound("message " + parentId));
        String r = role(role);
        conversations.require(
                parent.conversationId(), userId, "system".equals(r) ? ConversationRole.ADMIN : ConversationRole.MEMBER);
        Message m = child(parent, userId, r, content(content), "complete", null);
        conversations.touch(parent.conversationId());
        return m;
    }

    /** The assistant's reply to a message, empty and streaming until its generation ends. */
    Message startAssistantReply(Message parent, String model) {
        return child(parent, null, "assistant", "", "streaming", model);
    }

    void appendChunk(String messageId, Chunk chunk) {
        db.useHandle(h -> h.createUpdate(
                        "INSERT INTO asst_chunks (message_id, seq, content, created_at) " + "VALUES (:m, :s, :c, :at)")
                .bind("m", messageId)
                .bind("s", chunk.seq())
                .bind("c", chunk.content())
                .bind("at", chunk.createdAt())
                .execute());
    }

    void finishAssistantReply(String messageId, String content, String finishReason) {
        db.useHandle(h -> h.createUpdate("UPDATE asst_messages SET content = :c, status = 'complete', "
                        + "finish_reason = :f, updated_at = :now WHERE id = :id")
                .bind("c", content)
                .bind("f", finishReason)
                .bind("now", clock.instant())
                .bind("id", messageId)
                .execute());
    }

    /** Replies left streaming by a process that stopped: ended as errors at start. */
    int endOrphanedReplies() {
        return db.withHandle(h -> h.createUpdate("UPDATE asst_messages SET status = 'complete', finish_reason = "
                        + "'error', updated_at = :now WHERE status = 'streaming'")
                .bind("now", clock.instant())
                .execute());
    }

    public Optional<Message> find(String id) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM asst_messages WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findOne());
    }

    /** A message the user may read (member of its conversation). */
    public Message readable(String userId, String messageId) {
        Message m = find(messageId).orElseThrow(() -> ApiException.notFound("message " + messageId));
        conversations.require(m.conversationId(), userId, ConversationRole.VIEWER);
        return m;
    }

    /** The chain from the root to this message, in order: the context of a reply. */
    public List<Message> ancestry(Message m) {
        List<String> paths = new ArrayList<>();
        String[] parts = m.path().split("/");
        StringBuilder p = new StringBuilder();
        for (String part : parts) {
            p.append(p.isEmpty() ? "" : "/").append(part);
            paths.add(p.toString());
        }
        return db.withHandle(h -> h.createQuery(
                        "SELECT * FROM asst_messages WHERE root_id = :r AND path IN (<p>) " + "ORDER BY path")
                .bind("r", m.rootId())
                .bindList("p", paths)
                .map((rs, ctx) -> row(rs))
                .list());
    }

    public TreePage tree(String userId, String rootId, String cursorPath, int limit) {
        Message root = readable(userId, rootId);
        if (!root.id().equals(root.rootId())) {
            throw ApiException.validation(rootId + " is not the root of a thread");
        }
        int n = Math.clamp(limit, 1, 500);
        List<Message> page = db.withHandle(h -> h.createQuery(
                        "SELECT * FROM asst_messages WHERE root_id = :r " + "AND path > :after ORDER BY path")
                .bind("r", rootId)
                .bind("after", cursorPath == null ? "" : cursorPath)
                .setMaxRows(n + 1)
                .map((rs, ctx) -> row(rs).visible())
                .list());
        String next = page.size() > n ? page.get(n - 1).path() : null;
        return new TreePage(rootId, page.subList(0, Math.min(n, page.size())), next);
    }

    /** Threads of a conversation, most recently active first. */
    public ThreadPage threads(String userId, String conversationId, String after, int limit) {
        conversations.require(conversationId, userId, ConversationRole.VIEWER);
        int n = Math.clamp(limit, 1, 200);
        long afterMillis = Long.MAX_VALUE;
        String afterId = "";
        if (after != null && !after.isBlank()) {
            try {
                String[] c = new String(Base64.getUrlDecoder().decode(after), StandardCharsets.UTF_8).split(":", 2);
                afterMillis = Long.parseLong(c[0]);
                afterId = c[1];
            } catch (RuntimeException e) {
                throw ApiException.validation("invalid 'after' cursor");
            }
        }
        long am = afterMillis;
        String ai = afterId;
        List<ThreadSummary> all = db.withHandle(h -> h.createQuery("SELECT m.root_id, MIN(m.created_at) c, "
                        + "MAX(m.updated_at) a, COUNT(*) n, COUNT(DISTINCT m.author_user_id) p "
                        + "FROM asst_messages m WHERE m.conversation_id = :c GROUP BY m.root_id")
                .bind("c", conversationId)
                .map((rs, ctx) -> new ThreadSummary(
                        rs.getString(1),
                        null,
                        null,
                        Rows.instant(rs, "c"),
                        Rows.instant(rs, "a"),
                        rs.getLong("n"),
                        rs.getLong("p")))
                .list());
        List<ThreadSummary> sorted = all.stream()
                .filter(t -> t.lastActivityAt().toEpochMilli() < am
                        || (t.lastActivityAt().toEpochMilli() == am
                                && t.rootId().compareTo(ai) > 0))
                .sorted(java.util.Comparator.comparing(ThreadSummary::lastActivityAt)
                        .reversed()
                        .thenComparing(ThreadSummary::rootId))
                .limit(n + 1L)
                .toList();
        List<ThreadSummary> page = new ArrayList<>();
        for (ThreadSummary t : sorted.subList(0, Math.min(n, sorted.size()))) {
            Message root = find(t.rootId()).orElseThrow();
            String text = root.deleted() ? "" : root.content();
            page.add(new ThreadSummary(
                    t.rootId(),
                    text.length() > 140 ? text.substring(0, 140) + "…" : text,
                    root.authorUserId(),
                    t.createdAt(),
                    t.lastActivityAt(),
                    t.messageCount(),
                    t.participantCount()));
        }
        String next = null;
        if (sorted.size() > n) {
            ThreadSummary last = page.getLast();
            next = Base64.getUrlEncoder()
                    .withoutPadding()
                    .encodeToString((last.lastActivityAt().toEpochMilli() + ":" + last.rootId())
                            .getBytes(StandardCharsets.UTF_8));
        }
        return new ThreadPage(page, next);
    }

    public Message edit(String userId, String messageId, String content) {
        Message m = mayChange(userId, messageId);
        if (m.deleted()) {
            throw ApiException.validation("restore the message before editing it");
        }
        Instant now = clock.instant();
        db.useHandle(h -> h.createUpdate("UPDATE asst_messages SET content = :c, edited_at = :now, updated_at = :now "
                        + "WHERE id = :id")
                .bind("c", content(content))
                .bind("now", now)
                .bind("id", messageId)
                .execute());
        return find(messageId).orElseThrow();
    }

    public Message delete(String userId, String messageId) {
        mayChange(userId, messageId);
        Instant now = clock.instant();
        db.useHandle(h -> h.createUpdate("UPDATE asst_messages SET deleted_at = :now, updated_at = :now WHERE id = :id")
                .bind("now", now)
                .bind("id", messageId)
                .execute());
        return find(messageId).orElseThrow();
    }

    public Message restore(String userId, String messageId) {
        mayChange(userId, messageId);
        db.useHandle(h -> h.createUpdate("UPDATE asst_messages SET deleted_at = NULL, updated_at = :now WHERE id = :id")
                .bind("now", clock.instant())
                .bind("id", messageId)
                .execute());
        return find(messageId).orElseThrow();
    }

    public List<Chunk> chunks(String userId, String messageId, int from, int limit) {
        readable(userId, messageId);
        return db.withHandle(h -> h.createQuery("SELECT seq, content, created_at FROM asst_chunks "
                        + "WHERE message_id = :m AND seq >= :f ORDER BY seq")
                .bind("m", messageId)
                .bind("f", Math.max(0, from))
                .setMaxRows(Math.clamp(limit, 1, 5000))
                .map((rs, ctx) -> new Chunk(rs.getInt(1), rs.getString(2), Rows.instant(rs, "created_at")))
                .list());
    }

    /** What a reply streamed so far, from its chunks. */
    String streamedText(String messageId) {
        StringBuilder b = new StringBuilder();
        db.useHandle(h -> h.createQuery("SELECT content FROM asst_chunks WHERE message_id = :m ORDER BY seq")
                .bind("m", messageId)
                .mapTo(String.class)
                .forEach(b::append));
        return b.toString();
    }

    /** Chunks of a conversation's replies written after a moment: what a reconnecting stream missed. */
    List<Map.Entry<Message, Chunk>> chunksSince(String conversationId, Instant since, int limit) {
        return db.withHandle(h -> h.createQuery("SELECT m.*, c.seq cseq, c.content ccontent, c.created_at cat "
                        + "FROM asst_chunks c JOIN asst_messages m ON m.id = c.message_id "
                        + "WHERE m.conversation_id = :conv AND c.created_at > :since ORDER BY c.created_at, c.seq")
                .bind("conv", conversationId)
                .bind("since", since)
                .setMaxRows(limit)
                .map((rs, ctx) -> Map.entry(
                        row(rs), new Chunk(rs.getInt("cseq"), rs.getString("ccontent"), Rows.instant(rs, "cat"))))
                .list());
    }

    /** Shortest and longest search text: one character matches nearly everything, and a query is not a document. */
    static final int MIN_SEARCH = 2;

    static final int MAX_SEARCH = 200;

    /**
     * Messages of a conversation that contain {@code text} (case-insensitive, not deleted), newest first. A plain
     * substring search: {@code %} and {@code _} are literal. It reads the conversation's messages (an index on the
     * conversation narrows it); tens of thousands of messages take milliseconds.
     */
    public List<Message> search(String userId, String conversationId, String text, int limit) {
        conversations.require(conversationId, userId, ConversationRole.VIEWER);
        String q = text == null ? "" : text.strip();
        if (q.length() < MIN_SEARCH || q.length() > MAX_SEARCH) {
            throw ApiException.validation("q must be " + MIN_SEARCH + ".." + MAX_SEARCH + " characters");
        }
        String pattern = "%"
                + q.toLowerCase(java.util.Locale.ROOT)
                        .replace("!", "!!")
                        .replace("%", "!%")
                        .replace("_", "!_")
                + "%";
        return db.withHandle(h -> h.createQuery("SELECT * FROM asst_messages WHERE conversation_id = :c"
                        + " AND deleted_at IS NULL AND LOWER(content) LIKE :p ESCAPE '!'"
                        + " ORDER BY created_at DESC, id")
                .bind("c", conversationId)
                .bind("p", pattern)
                .setMaxRows(limit)
                .map((rs, ctx) -> row(rs))
                .list());
    }

    /** Messages of a conversation created or changed after a moment (threads and finished replies missed). */
    List<Message> changedSince(String conversationId, Instant since, int limit) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM asst_messages WHERE conversation_id = :c "
                        + "AND updated_at > :since ORDER BY updated_at, id")
                .bind("c", conversationId)
                .bind("since", since)
                .setMaxRows(limit)
                .map((rs, ctx) -> row(rs))
                .list());
    }

    /** Unread messages per thread (others' messages after the user's read watermark). */
    public Map<String, Long> unread(String userId, String conversationId) {
        conversations.require(conversationId, userId, ConversationRole.VIEWER);
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        db.useHandle(h -> h.createQuery("SELECT m.root_id, COUNT(*) n FROM asst_messages m LEFT JOIN asst_reads r "
                        + "ON r.root_id = m.root_id AND r.user_id = :u WHERE m.conversation_id = :c "
                        + "AND (m.author_user_id IS NULL OR m.author_user_id <> :u) AND m.deleted_at IS NULL "
                        + "AND (r.read_at IS NULL OR m.created_at > r.read_at) GROUP BY m.root_id")
                .bind("u", userId)
                .bind("c", conversationId)
                .map((rs, ctx) -> Map.entry(rs.getString(1), rs.getLong(2)))
                .forEach(e -> out.put(e.getKey(), e.getValue())));
        return out;
    }

    /** The user's unread messages in one thread (others' messages after the watermark). */
    long unreadIn(String userId, String rootId) {
        return db.withHandle(h -> h.createQuery("SELECT COUNT(*) FROM asst_messages m LEFT JOIN asst_reads r "
                        + "ON r.root_id = m.root_id AND r.user_id = :u WHERE m.root_id = :root "
                        + "AND (m.author_user_id IS NULL OR m.author_user_id <> :u) AND m.deleted_at IS NULL "
                        + "AND (r.read_at IS NULL OR m.created_at > r.read_at)")
                .bind("u", userId)
                .bind("root", rootId)
                .mapTo(Long.class)
                .one());
    }

    /** Moves the user's read watermark of a thread to now. */
    public void markRead(String userId, String rootId) {
        Message root = readable(userId, rootId);
        try {
            watermark(userId, root);
        } catch (DuplicateKeyException e) { // two tabs marked it at once: the other inserted, now update
            watermark(userId, root);
        }
    }

    private void watermark(String userId, Message root) {
        Instant now = clock.instant();
        db.inTransaction(h -> {
            int n = h.createUpdate("UPDATE asst_reads SET read_at = :now WHERE user_id = :u AND root_id = :r")
                    .bind("now", now)
                    .bind("u", userId)
                    .bind("r", root.rootId())
                    .execute();
            if (n == 0) {
                h.createUpdate("INSERT INTO asst_reads (user_id, root_id, read_at) VALUES (:u, :r, :now)")
                        .bind("u", userId)
                        .bind("r", root.rootId())
                        .bind("now", now)
                        .execute();
            }
            return null;
        });
    }

    private Message mayChange(String userId, String messageId) {
        Message m = find(messageId).orElseThrow(() -> ApiException.notFound("message " + messageId));
        ConversationRole role = conversations.require(m.conversationId(), userId, ConversationRole.VIEWER);
        boolean author = userId.equals(m.authorUserId());
        if (!author && !role.atLeast(ConversationRole.ADMIN)) {
            throw ApiException.forbidden("only the author or an owner/admin may change this message");
        }
        return m;
    }

    private Message child(Message parent, String author, String role, String content, String status, String model) {
        if (parent.depth() >= MAX_DEPTH) {
            throw ApiException.validation("threads are at most " + MAX_DEPTH + " replies deep");
        }
        for (int attempt = 0; ; attempt++) {
            try {
                return db.inTransaction(h -> {
                    long siblings = h.createQuery("SELECT COUNT(*) FROM asst_messages WHERE parent_id = :p")
                            .bind("p", parent.id())
                            .mapTo(Long.class)
                            .one();
                    String path = parent.path() + "/" + String.format(java.util.Locale.ROOT, "%06d", siblings + 1);
                    return insert(
                            h,
                            UUID.randomUUID().toString(),
                            parent.conversationId(),
                            parent.rootId(),
                            parent.id(),
                            author,
                            role,
                            content,
                            path,
                            parent.depth() + 1,
                            status,
                            model);
                });
            } catch (DuplicateKeyException e) { // a sibling took the same number concurrently
                if (attempt >= 5) {
                    throw e;
                }
            }
        }
    }

    private Message insert(
            Handle h,
            String id,
            String conv,
            String root,
            String parent,
            String author,
            String role,
            String content,
            String path,
            int depth,
            String status,
            String model) {
        Instant now = clock.instant();
        h.createUpdate("INSERT INTO asst_messages (id, conversation_id, root_id, parent_id, author_user_id, role, "
                        + "content, path, depth, status, model, created_at, updated_at) VALUES (:id, :conv, :root, "
                        + ":parent, :author, :role, :content, :path, :depth, :status, :model, :now, :now)")
                .bind("id", id)
                .bind("conv", conv)
                .bind("root", root)
                .bind("parent", parent)
                .bind("author", author)
                .bind("role", role)
                .bind("content", content)
                .bind("path", path)
                .bind("depth", depth)
                .bind("status", status)
                .bind("model", model)
                .bind("now", now)
                .execute();
        return new Message(
                id, conv, root, parent, author, role, content, path, depth, status, null, model, now, now, null, null);
    }

    private static String role(String role) {
        String r = role == null || role.isBlank() ? "user" : role.strip();
        if (!WRITABLE_ROLES.contains(r)) {
            throw ApiException.validation("role must be user or system");
        }
        return r;
    }

    private static String content(String content) {
        if (content == null || content.isBlank()) {
            throw ApiException.validation("content is required");
        }
        if (content.length() > MAX_CONTENT_CHARS) {
            throw ApiException.validation("content is at most " + MAX_CONTENT_CHARS + " characters");
        }
        return content;
    }

    static Message row(ResultSet rs) throws SQLException {
        return new Message(
                rs.getString("id"),
                rs.getString("conversation_id"),
                rs.getString("root_id"),
                rs.getString("parent_id"),
                rs.getString("author_user_id"),
                rs.getString("role"),
                rs.getString("content"),
                rs.getString("path"),
                rs.getInt("depth"),
                rs.getString("status"),
                rs.getString("finish_reason"),
                rs.getString("model"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"),
                Rows.instant(rs, "edited_at"),
                Rows.instant(rs, "deleted_at"));
    }
}
