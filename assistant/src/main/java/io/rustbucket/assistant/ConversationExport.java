package io.rustbucket.assistant;

import com.fasterxml.jackson.core.JsonGenerator;
import io.javalin.http.Context;
import io.rustbucket.core.auth.Accounts;
import io.rustbucket.core.auth.User;
import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.json.Json;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A conversation written out whole, to keep or to move: Markdown to read, JSON for tools. Threads are listed first
 * (one summary each), then each thread's tree is read a page at a time and written before the next page is read,
 * so neither the messages nor a database connection are held at the client's pace. Deleted messages are written
 * without their text, as every reader sees them.
 */
final class ConversationExport {
    static final int PAGE = 500;

    private final Assistant assistant;
    private final Accounts accounts;
    private final Clock clock;

    ConversationExport(Assistant assistant, Accounts accounts, Clock clock) {
        this.assistant = assistant;
        this.accounts = accounts;
        this.clock = clock;
    }

    /** Answers {@code GET /api/conversations/{cid}/export?format=md|json} for a member. */
    void answer(Context ctx, String userId, String conversationId) throws IOException {
        String format = ctx.queryParam("format") == null ? "md" : ctx.queryParam("format");
        if (!format.equals("md") && !format.equals("json")) {
            throw ApiException.validation("format must be md or json");
        }
        assistant.conversations().require(conversationId, userId, ConversationRole.VIEWER);
        var conversation = assistant.conversations().find(conversationId).orElseThrow();
        List<Messages.ThreadSummary> threads = threads(userId, conversationId);
        Names names = new Names();
        var participants = assistant.conversations().participants(conversationId);
        ctx.status(200);
        ctx.contentType(format.equals("md") ? "text/markdown; charset=utf-8" : "application/json");
        ctx.header(
                "Content-Disposition",
                "attachment; filename=\"conversation-" + slug(conversation.title(), conversationId) + "." + format
                        + "\"");
        OutputStream out = ctx.res().getOutputStream();
        if (format.equals("json")) {
            try (JsonGenerator g = Json.mapper().createGenerator(out)) {
                g.writeStartObject();
                g.writeFieldName("conversation");
                Json.mapper().writeValue(g, conversation);
                g.writeStringField("exported_at", clock.instant().toString());
                g.writeArrayFieldStart("participants");
                for (var p : participants) {
                    Map<String, Object> row = new LinkedHashMap<>();
                    row.put("user_id", p.userId());
                    row.put("username", names.of(p.userId()));
                    row.put("role", p.role());
                    row.put("joined_at", p.joinedAt());
                    Json.mapper().writeValue(g, row);
                }
                g.writeEndArray();
                g.writeArrayFieldStart("threads");
                for (var t : threads) {
                    g.writeStartObject();
                    g.writeStringField("root_id", t.rootId());
                    g.writeArrayFieldStart("messages");
                    forEachPage(userId, t.rootId(), page -> {
                        for (Message m : page) {
                            Json.mapper().writeValue(g, m);
                        }
                        g.flush();
                    });
                    g.writeEndArray();
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            return;
        }
        Writer w = new OutputStreamWriter(out, StandardCharsets.UTF_8);
        w.write("# " + oneLine(conversation.title()) + "\n\n");
        w.write("Exported " + clock.instant() + " · model "
                + (conversation.model() == null ? "(platform default)" : conversation.model()) + " · members: ");
        List<String> members = new ArrayList<>();
        for (var p : participants) {
            members.add(names.of(p.userId()) + " (" + p.role().id() + ")");
        }
        w.write(String.join(", ", members) + "\n");
        for (var t : threads) {
            w.write("\n---\n\n## Thread of " + t.createdAt() + "\n");
            Map<String, String> authors = new HashMap<>();
            forEachPage(userId, t.rootId(), page -> {
                for (Message m : page) {
                    String who = m.role().equals("assistant")
                            ? "assistant" + (m.model() == null ? "" : " (" + m.model() + ")")
                            : m.authorUserId() == null ? m.role() : names.of(m.authorUserId());
                    authors.put(m.id(), who);
                    w.write("\n**" + oneLine(who) + "** · " + m.createdAt());
                    if (m.parentId() != null && authors.containsKey(m.parentId())) {
                        w.write(" · in reply to " + oneLine(authors.get(m.parentId())));
                    }
                    if (m.role().equals("system")) {
                        w.write(" · system message");
                    }
                    w.write("\n\n");
                    w.write(m.deleted() ? "_(deleted)_" : m.content().isEmpty() ? "_(no text)_" : m.content());
                    w.write("\n");
                    if (m.finishReason() != null && !m.finishReason().equals("stop")) {
                        w.write("\n_(ended: " + m.finishReason() + ")_\n");
                    }
                }
                w.flush();
            });
        }
        w.flush();
    }

    /** Receives a thread's messages a page at a time. */
    @FunctionalInterface
    private interface PageSink {
        void page(List<Message> messages) throws IOException;
    }

    /** A thread in tree order, a page ({@link #PAGE}) at a time: each page is handed over before the next is read. */
    private void forEachPage(String userId, String rootId, PageSink sink) throws IOException {
        String cursor = null;
        do {
            var page = assistant.messages().tree(userId, rootId, cursor, PAGE);
            sink.page(page.messages());
            cursor = page.nextCursor();
        } while (cursor != null);
    }

    /** Every thread of the conversation, oldest first (the API lists them by latest activity). */
    private List<Messages.ThreadSummary> threads(String userId, String conversationId) {
        List<Messages.ThreadSummary> all = new ArrayList<>();
        String after = null;
        do {
            var page = assistant.messages().threads(userId, conversationId, after, 200);
            all.addAll(page.threads());
            after = page.nextAfter();
        } while (after != null);
        all.sort(Comparator.comparing(Messages.ThreadSummary::createdAt).thenComparing(Messages.ThreadSummary::rootId));
        return all;
    }

    /** User names by id, looked up once each (authors who have since left are still named). */
    private final class Names {
        private final Map<String, String> known = new HashMap<>();

        String of(String userId) {
            return known.computeIfAbsent(
                    userId, id -> accounts.find(id).map(User::username).orElse(id));
        }
    }

    /** A title as a file name part: letters, digits and dashes, at most 60; the id when nothing is left. */
    static String slug(String title, String id) {
        String s = title.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-").replaceAll("^-+|-+$", "");
        s = s.length() > 60 ? s.substring(0, 60).replaceAll("-+$", "") : s;
        return s.isEmpty() ? id : s;
    }

    private static String oneLine(String s) {
        return s.replaceAll("[\\r\\n]+", " ");
    }
}
