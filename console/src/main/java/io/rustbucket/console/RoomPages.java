package io.rustbucket.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.sse.SseClient;
import io.rustbucket.console.rooms.ChatIdentities;
import io.rustbucket.console.rooms.ChatRooms;
import io.rustbucket.core.auth.AuditLog;
import io.rustbucket.core.auth.Authenticator;
import io.rustbucket.core.auth.Principal;
import io.rustbucket.core.auth.Revocations;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.http.RequestBodies;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Bucket Chat rooms: the list, a room's verified timeline (badges per event and per sender chain), a composer
 * that signs with the signed-in user's key, and live updates: the page's SSE stream says when the room's files
 * change and htmx reloads the timeline. Viewers read; analysts and admins write.
 */
final class RoomPages {
    static final long LIVE_POLL_MS = 2_000;
    static final long KEEPALIVE_MS = 15_000;
    static final int MAX_BODY_BYTES = 64 * 1024;

    record CreateRequest(String roomId, String name, String description) {}

    record WriteRequest(String action, String eventId, String body, String replyTo, String reason, String reaction) {}

    private final ChatRooms rooms;
    private final ChatIdentities identities;
    private final Authenticator auth;
    private final AuditLog audit;
    private final Views views;
    private final PageGuard guard;
    private final Revocations revocations;
    private final AtomicBoolean stopping;

    RoomPages(
            ChatRooms rooms,
            ChatIdentities identities,
            Authenticator auth,
            AuditLog audit,
            Views views,
            PageGuard guard,
            Revocations revocations,
            AtomicBoolean stopping) {
        this.rooms = rooms;
        this.identities = identities;
        this.auth = auth;
        this.audit = audit;
        this.views = views;
        this.guard = guard;
        this.revocations = revocations;
        this.stopping = stopping;
    }

    void register(RoutesConfig r) {
        r.get("/rooms", this::list);
        r.post("/console/rooms", this::create);
        r.get("/rooms/{id}", this::room);
        r.get("/rooms/{id}/view", this::roomView);
        r.sse("/rooms/{id}/live", this::live);
        r.post("/console/rooms/{id}/write", this::write);
    }

    private void list(Context ctx) {
        Page page = guard.require(ctx, Role.VIEWER, "Rooms", "rooms");
        Map<String, Object> m = new HashMap<>();
        m.put("rooms", rooms.list());
        m.put("identity", identities.find(page.user()).orElse(null));
        m.put("senderId", ChatIdentities.senderId(page.user()));
        views.render(ctx, "rooms.jte", page, m);
    }

    private void room(Context ctx) {
        Page page = guard.require(ctx, Role.VIEWER, "Room", "rooms");
        ChatRooms.RoomView view = view(ctx.pathParam("id"));
        Map<String, Object> m = new HashMap<>();
        m.put("room", view);
        m.put("me", ChatIdentities.senderId(page.user()));
        views.render(ctx, "room.jte", new Page(view.metadata().name(), "rooms", page.user(), page.nav()), m);
    }

    /** The part of a room page that live updates reload: timeline, members, integrity. */
    private void roomView(Context ctx) {
        Page page = guard.require(ctx, Role.VIEWER, "Room", "rooms");
        Map<String, Object> m = new HashMap<>();
        m.put("room", view(ctx.pathParam("id")));
        m.put("me", ChatIdentities.senderId(page.user()));
        views.render(ctx, "room-view.jte", page, m);
    }

    /** Tells the page when the room changed; the page fetches the timeline itself. */
    private void live(SseClient client) {
        Context ctx = client.ctx();
        Optional<Principal> viewer = guard.signedIn(ctx);
        if (viewer.isEmpty()) {
            client.close();
            return;
        }
        String roomId = ctx.pathParam("id");
        client.keepAlive();
        // The stream outlives the request that authorised it: signing out ends it.
        try (Revocations.Watch session = revocations.watch(viewer.get())) {
            int seen = rooms.files(roomId);
            long lastSent = System.nanoTime();
            while (!client.terminated() && !stopping.get() && !session.ended()) {
                Thread.sleep(LIVE_POLL_MS);
                int now = rooms.files(roomId);
                if (now != seen) {
                    seen = now;
                    client.sendEvent("changed", "{\"files\":" + now + "}");
                    lastSent = System.nanoTime();
                } else if (System.nanoTime() - lastSent >= KEEPALIVE_MS * 1_000_000L) {
                    client.sendComment("keep-alive");
                    lastSent = System.nanoTime();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) { // the room went away or the store failed: the page reconnects
            client.sendEvent("error", "{\"error\":\"room unavailable\"}");
        } finally {
            client.close();
        }
    }

    private void create(Context ctx) {
        Principal p = auth.require(ctx, Role.ANALYST);
        CreateRequest req = RequestBodies.json(ctx, MAX_BODY_BYTES, CreateRequest.class);
        String id = req.roomId() == null ? "" : req.roomId().strip();
        String name =
                req.name() == null || req.name().isBlank() ? id : req.name().strip();
        try {
            rooms.create(p.user(), id, name, req.description() == null ? "" : req.description());
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(e.getMessage());
        } catch (IllegalStateException e) {
            throw new ApiException(io.rustbucket.core.http.ProblemCode.CONFLICT, e.getMessage());
        }
        audit.record(p.user().username(), "rooms.created", id, name);
        ctx.status(201).json(Map.of("room_id", id, "url", "/rooms/" + Fmt.pathSegment(id)));
    }

    private void write(Context ctx) {
        Principal p = auth.require(ctx, Role.ANALYST);
        String roomId = ctx.pathParam("id");
        WriteRequest req = RequestBodies.json(ctx, MAX_BODY_BYTES, WriteRequest.class);
        String action = req.action() == null ? "message" : req.action();
        try {
            switch (action) {
                case "message" -> rooms.message(p.user(), roomId, req.body(), req.replyTo());
                case "edit" -> rooms.edit(p.user(), roomId, required(req.eventId()), req.body());
                case "redact" -> rooms.redact(p.user(), roomId, required(req.eventId()), req.reason());
                case "react" -> rooms.react(p.user(), roomId, required(req.eventId()), req.reaction());
                default -> throw new IllegalArgumentException("action must be message, edit, redact or react");
            }
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(e.getMessage());
        }
        ctx.status(201).json(Map.of("action", action, "sender_id", ChatIdentities.senderId(p.user())));
    }

    private ChatRooms.RoomView view(String roomId) {
        try {
            return rooms.view(roomId);
        } catch (IllegalArgumentException e) {
            throw PageGuard.Problem.notFound("room " + roomId);
        }
    }

    private static String required(String eventId) {
        if (eventId == null || eventId.isBlank()) {
            throw new IllegalArgumentException("event_id is required");
        }
        return eventId;
    }
}
