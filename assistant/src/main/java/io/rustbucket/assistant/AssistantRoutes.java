package io.rustbucket.assistant;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rustbucket.core.auth.AccountExistsException;
import io.rustbucket.core.auth.Authenticator;
import io.rustbucket.core.auth.PasswordHasher;
import io.rustbucket.core.auth.Principal;
import io.rustbucket.core.auth.Revocations;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.http.ApiServer;
import io.rustbucket.core.http.ProblemCode;
import io.rustbucket.core.http.QueryParams;
import io.rustbucket.core.http.RateLimiter;
import io.rustbucket.core.http.RequestBodies;
import io.rustbucket.core.http.SseStream;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.llm.UsageLedger;
import io.rustbucket.core.runtime.CoreServices;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The assistant's HTTP API as the contract (specs/assistant-api.md) spells it. Handlers translate only. */
final class AssistantRoutes implements ApiServer.Routes {
    static final long MAX_BODY = 256 * 1024;
    static final long KEEPALIVE_MS = 20_000;
    static final int RESUME_LIMIT = 10_000;
    /** Events after which a subscriber's unread count of the thread may have changed. */
    static final java.util.Set<String> UNREAD_CHANGES =
            java.util.Set.of("thread.new", "thread.activity", "message.done");

    /**
     * Live frames a stream may hold for a client that reads slower than they come (~3,000 reply tokens); beyond
     * it the client is told to reconnect and resume.
     */
    static final long MAX_PENDING_BYTES = 1024 * 1024;

    private static final byte[] CONNECTED = ": connected\n\n".getBytes(StandardCharsets.UTF_8);

    record SetupRequest(String username, String email, String password) {}

    record ConversationRequest(String title, Boolean isGroup, String model) {}

    record ParticipantRequest(String userId, String role) {}

    record InviteRequest(String email, String role, Long ttlSeconds) {}

    record AcceptRequest(String token) {}

    record MessageRequest(String content, String role) {}

    record TypingRequest(String conversationId, String rootId) {}

    record PresenceRequest(String status) {}

    private final Assistant assistant;
    private final CoreServices core;
    private final Authenticator auth;
    private final RateLimiter perUser;
    private final RateLimiter perIp;
    private final UnreadUpdates unreadUpdates;
    private final ConversationExport export;

    AssistantRoutes(Assistant assistant, CoreServices core) {
        this.assistant = assistant;
        this.core = core;
        this.auth = core.authenticator();
        // Messages start model calls: 30 a minute per user (bursts of 10), 120 per client address.
        this.perUser = new RateLimiter(30, Duration.ofMinutes(1), 10, 100_000, core.clock());
        this.perIp = new RateLimiter(120, Duration.ofMinutes(1), 30, 100_000, core.clock());
        this.unreadUpdates = new UnreadUpdates(
                (userId, rootId) -> assistant.messages().unreadIn(userId, rootId),
                () -> core.clock().millis());
        this.export = new ConversationExport(assistant, core.accounts(), core.clock());
    }

    @Override
    public void register(RoutesConfig r) {
        r.get("/api/setup", ctx -> ctx.json(Map.of("is_setup", core.accounts().count() > 0)));
        r.post("/api/setup", this::setup);
        r.get("/api/conversations", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            ctx.json(Map.of(
                    "conversations", assistant.conversations().listFor(p.user().id())));
        });
        r.post("/api/conversations", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            ConversationRequest req = RequestBodies.json(ctx, MAX_BODY, ConversationRequest.class);
            if (req.model() != null
                    && !req.model().isBlank()
                    && core.llm().model(req.model()).isEmpty()) {
                throw ApiException.validation("no model named '" + req.model() + "'; see GET /api/v1/models");
            }
            var c = assistant
                    .conversations()
                    .create(p.user().id(), req.title(), req.isGroup() != null && req.isGroup(), req.model());
            ctx.status(201).json(Map.of("conversation_id", c.id(), "conversation", c));
        });
        r.get("/api/conversations/{cid}", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            String cid = ctx.pathParam("cid");
            ConversationRole role =
                    assistant.conversations().require(cid, p.user().id(), ConversationRole.VIEWER);
            ctx.json(Map.of(
                    "conversation", assistant.conversations().find(cid).orElseThrow(),
                    "role", role,
                    "participants", assistant.conversations().participants(cid)));
        });
        r.patch("/api/conversations/{cid}", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            ConversationRequest req = RequestBodies.json(ctx, MAX_BODY, ConversationRequest.class);
            ctx.json(Map.of(
                    "conversation", assistant.update(p.user().id(), ctx.pathParam("cid"), req.title(), req.model())));
        });
        r.delete("/api/conversations/{cid}", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            assistant.delete(p.user().id(), ctx.pathParam("cid"));
            ctx.status(204);
        });
        r.post("/api/conversations/{cid}/participants", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            ParticipantRequest req = RequestBodies.json(ctx, MAX_BODY, ParticipantRequest.class);
            String cid = ctx.pathParam("cid");
            if (req.userId() == null || core.accounts().find(req.userId()).isEmpty()) {
                throw ApiException.validation("user_id must name an existing user");
            }
            ConversationRole role = parseRole(req.role());
            boolean added = assistant.conversations().setParticipant(p.user().id(), cid, req.userId(), role);
            assistant.membershipChanged(cid, req.userId(), role.id(), added ? "added" : "role_updated");
            ctx.status(added ? 201 : 200).json(Map.of("user_id", req.userId(), "role", role));
        });
        r.delete("/api/conversations/{cid}/participants/{uid}", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            String cid = ctx.pathParam("cid");
            assistant.conversations().removeParticipant(p.user().id(), cid, ctx.pathParam("uid"));
            assistant.membershipChanged(cid, ctx.pathParam("uid"), null, "removed");
            ctx.status(204);
        });
        r.post("/api/conversations/{cid}/invites", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            InviteRequest req = RequestBodies.json(ctx, MAX_BODY, InviteRequest.class);
            var issued = assistant
                    .invites()
                    .create(
                            p.user().id(),
                            ctx.pathParam("cid"),
                            req.email(),
                            parseRole(req.role() == null ? "member" : req.role()),
                            req.ttlSeconds() == null ? 0 : req.ttlSeconds());
            ctx.status(201).json(Map.of("token", issued.token(), "expires_at", issued.expiresAt()));
        });
        r.post("/api/invites/accept", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            AcceptRequest req = RequestBodies.json(ctx, MAX_BODY, AcceptRequest.class);
            String cid = assistant.invites().accept(p.user(), req.token());
            assistant.membershipChanged(cid, p.user().id(), null, "added");
            ctx.json(Map.of("conversation_id", cid));
        });
        r.post("/api/invites/{token}/revoke", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            assistant.invites().revoke(p.user().id(), ctx.pathParam("token"));
            ctx.status(204);
        });
        r.get("/api/conversations/{cid}/threads", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            var page = assistant
                    .messages()
                    .threads(p.user().id(), ctx.pathParam("cid"), ctx.queryParam("after"), limit(ctx, 50));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("threads", page.threads());
            body.put("next_after", page.nextAfter());
            ctx.json(body);
        });
        r.get("/api/conversations/{cid}/export", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            export.answer(ctx, p.user().id(), ctx.pathParam("cid"));
        });
        r.get("/api/conversations/{cid}/search", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            String q = ctx.queryParam("q");
            var found = assistant.messages().search(p.user().id(), ctx.pathParam("cid"), q, limit(ctx, 50));
            ctx.json(Map.of(
                    "messages",
                    found.stream()
                            .map(m -> {
                                Map<String, Object> hit = new LinkedHashMap<>();
                                hit.put("id", m.id());
                                hit.put("root_id", m.rootId());
                                hit.put("parent_id", m.parentId());
                                hit.put("role", m.role());
                                hit.put("author_user_id", m.authorUserId());
                                hit.put("excerpt", around(m.content(), q.strip()));
                                hit.put("created_at", m.createdAt());
                                return hit;
                            })
                            .toList()));
        });
        r.get("/api/conversations/{cid}/unread", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            var unread = assistant.messages().unread(p.user().id(), ctx.pathParam("cid"));
            ctx.json(Map.of(
                    "threads",
                    unread.entrySet().stream()
                            .map(e -> Map.of("root_id", e.getKey(), "unread", e.getValue()))
                            .toList()));
        });
        r.get("/api/threads/{root}/tree", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            var page = assistant
                    .messages()
                    .tree(p.user().id(), ctx.pathParam("root"), ctx.queryParam("cursor_path"), limit(ctx, 100));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("root_id", page.rootId());
            body.put("messages", page.messages());
            body.put("next_cursor", page.nextCursor());
            ctx.json(body);
        });
        r.post("/api/threads/{cid}/root", ctx -> post(ctx, ctx.pathParam("cid"), null));
        r.post("/api/messages/{parent}/reply", ctx -> post(ctx, null, ctx.pathParam("parent")));
        r.post("/api/messages/{mid}/edit", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            MessageRequest req = RequestBodies.json(ctx, MAX_BODY, MessageRequest.class);
            ctx.json(Map.of("message", assistant.messages().edit(p.user().id(), ctx.pathParam("mid"), req.content())));
        });
        r.post("/api/messages/{mid}/delete", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            ctx.json(Map.of(
                    "message",
                    assistant
                            .messages()
                            .delete(p.user().id(), ctx.pathParam("mid"))
                            .visible()));
        });
        r.post("/api/messages/{mid}/restore", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            ctx.json(Map.of("message", assistant.messages().restore(p.user().id(), ctx.pathParam("mid"))));
        });
        r.post("/api/messages/{mid}/regenerate", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            limit(p, ctx); // a model call, like posting a message
            var again = assistant.regenerate(p.user().id(), ctx.pathParam("mid"));
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("reply_id", again.reply().id());
            body.put("root_id", again.reply().rootId());
            body.put("conversation_id", again.reply().conversationId());
            body.put("parent_id", again.message().id());
            body.put("depth", again.reply().depth());
            ctx.status(201).json(body);
        });
        r.post("/api/messages/{mid}/cancel", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            boolean stopped = assistant.replies().cancel(p.user().id(), ctx.pathParam("mid"));
            ctx.json(Map.of("cancelled", stopped));
        });
        r.get("/api/messages/{mid}/chunks", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            int from = ctx.queryParamAsClass("from", Integer.class).getOrDefault(0);
            ctx.json(Map.of(
                    "chunks",
                    assistant.messages().chunks(p.user().id(), ctx.pathParam("mid"), from, limit(ctx, 1000))));
        });
        r.post("/api/threads/{root}/read", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            assistant.messages().markRead(p.user().id(), ctx.pathParam("root"));
            ctx.status(204);
        });
        r.post("/api/typing", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            TypingRequest req = RequestBodies.json(ctx, MAX_BODY, TypingRequest.class);
            assistant.typing(p.user().id(), req.conversationId(), req.rootId());
            ctx.status(204);
        });
        r.post("/api/presence/heartbeat", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            byte[] body = RequestBodies.read(ctx, MAX_BODY);
            String status = body.length == 0
                    ? null
                    : Json.mapper().readValue(body, PresenceRequest.class).status();
            assistant.heartbeat(p.user().id(), status);
            ctx.status(204);
        });
        r.get("/api/usage", this::usage);
        r.get("/api/stream/conversations/{cid}", this::stream);
    }

    private void setup(Context ctx) {
        SetupRequest req = RequestBodies.json(ctx, MAX_BODY, SetupRequest.class);
        if (core.accounts().count() > 0) {
            throw new ApiException(ProblemCode.CONFLICT, "already set up; sign in instead");
        }
        try {
            PasswordHasher.checkLength(req.password());
            var admin = core.accounts()
                    .create(req.username(), req.email(), req.username(), req.password(), EnumSet.of(Role.ADMIN), false);
            core.audit().record(admin.username(), "setup.first_admin", admin.id(), "");
            ctx.status(201).json(Map.of("user", io.rustbucket.core.auth.AuthRoutes.userBody(admin)));
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(e.getMessage());
        } catch (AccountExistsException e) {
            throw new ApiException(ProblemCode.CONFLICT, e.getMessage());
        }
    }

    private void post(Context ctx, String conversationId, String parentId) {
        Principal p = auth.require(ctx, Role.VIEWER);
        limit(p, ctx);
        MessageRequest req = RequestBodies.json(ctx, MAX_BODY, MessageRequest.class);
        var posted = assistant.post(p.user().id(), conversationId, parentId, req.content(), req.role());
        Message m = posted.message();
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("message_id", m.id());
        body.put("root_id", m.rootId());
        body.put("conversation_id", m.conversationId());
        body.put("parent_id", m.parentId());
        body.put("depth", m.depth());
        if (posted.reply() != null) {
            body.put("reply_id", posted.reply().id());
        }
        ctx.status(201).json(body);
    }

    /**
     * Model usage per day, caller and model over the last {@code days} (UTC days, today included): the signed-in
     * user's by default; an admin may ask for {@code ?user=<id>} or {@code ?user=all}.
     */
    private void usage(Context ctx) {
        Principal p = auth.require(ctx, Role.VIEWER);
        int days = QueryParams.count(ctx, "days", 30, 366);
        String who = ctx.queryParam("user");
        String userId = who == null || who.isBlank() ? p.user().id() : who.strip();
        if (!userId.equals(p.user().id()) && !p.has(Role.ADMIN)) {
            throw ApiException.forbidden("only an admin sees other users' usage");
        }
        LocalDate to = LocalDate.ofInstant(core.clock().instant(), ZoneOffset.UTC);
        LocalDate from = to.minusDays(days - 1L);
        List<UsageLedger.Row> rows = core.usage().rows(from, to, "all".equals(userId) ? null : userId);
        Map<String, String> names = new HashMap<>();
        core.accounts().list().forEach(u -> names.put(u.id(), u.username()));
        List<Map<String, Object>> out = new ArrayList<>();
        for (UsageLedger.Row r : rows) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("day", r.day().toString());
            row.put("caller", r.caller());
            row.put("user_id", r.userId().isEmpty() ? null : r.userId());
            row.put("username", names.get(r.userId()));
            row.put("model", r.model());
            row.put("calls", r.calls());
            row.put("failed", r.failed());
            row.put("input_tokens", r.inputTokens());
            row.put("output_tokens", r.outputTokens());
            out.add(row);
        }
        UsageLedger.Row total = UsageLedger.total(rows);
        ctx.json(Map.of(
                "from",
                from.toString(),
                "to",
                to.toString(),
                "rows",
                out,
                "totals",
                Map.of(
                        "calls",
                        total.calls(),
                        "failed",
                        total.failed(),
                        "input_tokens",
                        total.inputTokens(),
                        "output_tokens",
                        total.outputTokens())));
    }

    private void limit(Principal p, Context ctx) {
        Optional<Duration> wait = perUser.acquire(p.user().id()).or(() -> perIp.acquire(ctx.ip()));
        if (wait.isPresent()) {
            throw ApiException.rateLimited(wait.get());
        }
    }

    /**
     * The conversation's live events. The stream has no thread of its own: the hub's publisher writes each event to
     * the socket when it can take it ({@link SseStream}), so one token reaches 500 readers without waking 500
     * threads. A reconnecting client sends {@code Last-Event-ID} (or {@code ?since=} in milliseconds) and first gets
     * what it missed from the database (new threads, reply chunks, finished replies), then the live events; a frame
     * may then arrive twice, and its id tells. A client that went away is noticed at the next write.
     */
    private void stream(Context ctx) throws IOException {
        Principal p = auth.require(ctx, Role.VIEWER);
        String cid = ctx.pathParam("cid");
        assistant.conversations().require(cid, p.user().id(), ConversationRole.VIEWER);
        Instant since = since(ctx);
        ctx.status(200).contentType("text/event-stream; charset=utf-8");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Accel-Buffering", "no");
        SseStream sse = SseStream.start(
                ctx,
                MAX_PENDING_BYTES,
                () -> errorFrame("RGP.STREAM.LAGGING", "too slow; reconnect with Last-Event-ID"));
        // The stream outlives the request that authorised it: signing out or revoking the token ends it (next tick).
        Revocations.Watch session = core.revocations().watch(p);
        LiveStream live = new LiveStream(sse, p.user().id(), session);
        // Subscribed before the catch-up is read, so nothing falls between the two; live frames wait behind it.
        StreamHub.Subscription subscription = assistant.hub().subscribe(cid, live);
        sse.onEnd(() -> {
            subscription.close();
            session.close();
        });
        if (assistant.stopping()) {
            sse.end();
            return;
        }
        try {
            List<byte[]> catchUp = new ArrayList<>();
            catchUp.add(CONNECTED);
            if (since != null) {
                replay(catchUp, cid, since);
            }
            catchUp.addAll(assistant
                    .presence()
                    .current(assistant.conversations().participants(cid).stream()
                            .map(Conversations.Participant::userId)
                            .toList()));
            sse.open(catchUp);
        } catch (RuntimeException e) {
            sse.end();
            throw e;
        }
    }

    /**
     * One open stream as the hub sees it. Events go straight to the socket; the stream's unread count of a thread is
     * counted off the publisher's thread ({@link UnreadUpdates}).
     */
    private final class LiveStream implements StreamHub.Subscriber, UnreadUpdates.Reader {
        private final SseStream sse;
        private final String userId;
        private final Revocations.Watch session;

        LiveStream(SseStream sse, String userId, Revocations.Watch session) {
            this.sse = sse;
            this.userId = userId;
            this.session = session;
        }

        @Override
        public void deliver(StreamHub.Event e) {
            sse.send(e.frame());
            if (e.name().equals("membership.changed")
                    && "removed".equals(e.payload().get("action"))
                    && userId.equals(e.payload().get("user_id"))) {
                sse.endWhenWritten(); // no longer a member: this was the stream's last event
                return;
            }
            if (UNREAD_CHANGES.contains(e.name()) && e.payload().get("root_id") instanceof String root) {
                unreadUpdates.changed(root, this);
            }
        }

        @Override
        public String userId() {
            return userId;
        }

        @Override
        public boolean open() {
            return !sse.ended();
        }

        @Override
        public void send(byte[] frame) {
            sse.send(frame);
        }

        @Override
        public void tick() {
            if (session.ended()) { // the last frame says so, and the stream ends
                sse.send(errorFrame(ProblemCode.UNAUTHENTICATED.code(), "signed out"));
                sse.endWhenWritten();
                return;
            }
            sse.keepAlive(KEEPALIVE_MS * 1_000_000L);
        }

        @Override
        public void end() {
            sse.end();
        }
    }

    private void replay(List<byte[]> burst, String cid, Instant since) {
        List<Message> changed = assistant.messages().changedSince(cid, since, RESUME_LIMIT);
        for (Message m : changed) {
            if (m.id().equals(m.rootId()) && m.createdAt().isAfter(since)) {
                frame(
                        burst,
                        new StreamHub.Event(
                                "thread.new",
                                Map.of("conversation_id", cid, "root_id", m.rootId(), "summary", excerpt(m)),
                                StreamHub.id(
                                        m.rootId(), m.id(), null, m.createdAt().toEpochMilli())));
            }
        }
        for (var e : assistant.replies().chunksSince(cid, since, RESUME_LIMIT)) {
            frame(
                    burst,
                    assistant
                            .replies()
                            .delta(e.getKey(), e.getValue().seq(), e.getValue().content()));
        }
        for (Message m : changed) {
            if ("assistant".equals(m.role()) && "complete".equals(m.status())) {
                Map<String, Object> pl = new LinkedHashMap<>();
                pl.put("message_id", m.id());
                pl.put("root_id", m.rootId());
                pl.put("conversation_id", cid);
                pl.put("finish_reason", m.finishReason());
                frame(
                        burst,
                        new StreamHub.Event(
                                "message.done",
                                pl,
                                StreamHub.id(
                                        m.rootId(), m.id(), null, m.updatedAt().toEpochMilli())));
            }
        }
    }

    /** The contract's {@code error} event, the last a stream sends before it ends. */
    private byte[] errorFrame(String code, String message) {
        return new StreamHub.Event(
                        "error",
                        Map.of("code", code, "message", message),
                        StreamHub.id(null, null, null, core.clock().millis()))
                .frame();
    }

    private static void frame(List<byte[]> frames, StreamHub.Event e) {
        frames.add(e.frame());
    }

    /** About 160 characters of {@code text} around the first match of {@code q} (case-insensitive). */
    static String around(String text, String q) {
        int at = text.toLowerCase(java.util.Locale.ROOT).indexOf(q.toLowerCase(java.util.Locale.ROOT));
        int from = Math.max(0, at < 0 ? 0 : at - 60);
        int to = Math.min(text.length(), from + 160);
        return (from > 0 ? "…" : "") + text.substring(from, to) + (to < text.length() ? "…" : "");
    }

    private static String excerpt(Message m) {
        String c = m.deleted() ? "" : m.content();
        return c.length() > 140 ? c.substring(0, 140) + "…" : c;
    }

    /** The resume point: Last-Event-ID's last part (milliseconds) or {@code ?since=}. */
    static Instant since(Context ctx) {
        String last = ctx.header("Last-Event-ID");
        String since = ctx.queryParam("since");
        try {
            if (last != null && !last.isBlank()) {
                return Instant.ofEpochMilli(
                        Long.parseLong(last.substring(last.lastIndexOf(':') + 1).strip()));
            }
            if (since != null && !since.isBlank()) {
                return Instant.ofEpochMilli(Long.parseLong(since.strip()));
            }
        } catch (NumberFormatException e) {
            throw ApiException.validation("Last-Event-ID or since must end in milliseconds");
        }
        return null;
    }

    private static ConversationRole parseRole(String role) {
        try {
            return ConversationRole.parse(role == null ? "member" : role);
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(e.getMessage());
        }
    }

    private static int limit(Context ctx, int dflt) {
        return io.rustbucket.core.http.QueryParams.limit(ctx, dflt, 500);
    }
}
