package io.rustbucket.assistant;

import io.rustbucket.core.health.PartState;
import io.rustbucket.core.http.ApiServer;
import io.rustbucket.core.runtime.CoreServices;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assistant ("RustyGPT"): conversations with participants and invites, thread trees, replies generated on
 * the server and streamed to every member over SSE, and an OpenAI-compatible API over the platform's models.
 * Accounts and sessions are core's. This class is the system's service: routes call it, it calls the stores.
 */
public final class Assistant implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Assistant.class);
    static final Duration TYPING_TTL = Duration.ofSeconds(6);
    /** How long deleting a conversation waits for its running replies to stop. */
    static final Duration DELETE_WAIT = Duration.ofSeconds(10);

    private final CoreServices core;
    private final Conversations conversations;
    private final Invites invites;
    private final Messages messages;
    private final StreamHub hub = new StreamHub();
    private final Replies replies;
    private final Presence presence;
    private final java.util.concurrent.ScheduledExecutorService presenceSweep =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("assistant-presence").daemon().factory());
    /** Set when the platform stops: open streams end so the server can stop gracefully. */
    private final java.util.concurrent.atomic.AtomicBoolean stopping = new java.util.concurrent.atomic.AtomicBoolean();

    private final io.rustbucket.assistant.oauth.OAuthLogins oauth;
    private final String publicUrl;

    private Assistant(CoreServices core, AssistantConfig config, String publicUrl) {
        this.core = core;
        this.publicUrl = publicUrl;
        this.oauth =
                new io.rustbucket.assistant.oauth.OAuthLogins(config, core.accounts(), core.database(), core.clock());
        this.conversations = new Conversations(core.database(), core.clock());
        this.invites = new Invites(core.database(), conversations, core.clock());
        this.messages = new Messages(core.database(), conversations, core.clock());
        this.replies = new Replies(messages, conversations, hub, core.llm(), core.clock());
        this.presence = new Presence(conversations, hub, core.clock());
        long sweep = Presence.SWEEP.toMillis();
        presenceSweep.scheduleWithFixedDelay(presence::sweep, sweep, sweep, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    /** Migrates the assistant's tables; replies a stopped process left streaming are ended as errors. */
    public static Assistant start(CoreServices core) {
        return start(core, AssistantConfig.defaults(), "");
    }

    /** With OAuth providers; {@code publicUrl} (may be empty) is the base of their redirect URIs. */
    public static Assistant start(CoreServices core, AssistantConfig config, String publicUrl) {
        core.database().migrate("assistant");
        Assistant a = new Assistant(core, config, publicUrl);
        int orphaned = a.messages.endOrphanedReplies();
        if (orphaned > 0) {
            log.warn("assistant: {} replies were interrupted by the last stop; ended as errors", orphaned);
        }
        core.readiness()
                .register("assistant", () -> PartState.ready("assistant", a.replies.running() + " replies running"));
        return a;
    }

    /** The contract's API and the OpenAI-compatible one. */
    public ApiServer.Routes routes() {
        AssistantRoutes api = new AssistantRoutes(this, core);
        OpenAiRoutes openAi = new OpenAiRoutes(core);
        var oauthRoutes = new io.rustbucket.assistant.oauth.OAuthRoutes(oauth, core, publicUrl);
        return r -> {
            api.register(r);
            openAi.register(r);
            oauthRoutes.register(r);
        };
    }

    /** Which OAuth providers are configured (for the sign-in page). */
    public java.util.List<String> oauthProviders() {
        java.util.List<String> p = new java.util.ArrayList<>();
        if (oauth.github()) {
            p.add("github");
        }
        if (oauth.apple()) {
            p.add("apple");
        }
        return p;
    }

    public Conversations conversations() {
        return conversations;
    }

    public Invites invites() {
        return invites;
    }

    public Messages messages() {
        return messages;
    }

    public Replies replies() {
        return replies;
    }

    public StreamHub hub() {
        return hub;
    }

    /**
     * Posts a message (a thread root when {@code parentId} is null) and, for a user message, starts the
     * assistant's reply. Members are told at once: {@code thread.new} or {@code thread.activity}.
     */
    public Posted post(String userId, String conversationId, String parentId, String content, String role) {
        Message m = parentId == null
                ? messages.root(userId, conversationId, content, role)
                : messages.reply(userId, parentId, content, role);
        if (parentId == null) {
            long now = core.clock().millis();
            String excerpt = m.content().length() > 140 ? m.content().substring(0, 140) + "…" : m.content();
            hub.publish(
                    m.conversationId(),
                    new StreamHub.Event(
                            "thread.new",
                            Map.of("conversation_id", m.conversationId(), "root_id", m.rootId(), "summary", excerpt),
                            StreamHub.id(m.rootId(), m.id(), null, now)));
        } else {
            hub.publish(
                    m.conversationId(), StreamHub.threadActivity(m, core.clock().millis()));
        }
        Message reply = "user".equals(m.role()) ? replies.start(m, userId) : null;
        return new Posted(m, reply);
    }

    /**
     * A new answer to the question an assistant reply answered (any member): a sibling of that reply, so the first
     * answer stays, as a branch of the thread. The context is the question's ancestor chain, as it is now.
     */
    public Posted regenerate(String userId, String replyId) {
        Message reply = messages.readable(userId, replyId);
        conversations.require(reply.conversationId(), userId, ConversationRole.MEMBER);
        Message question = reply.parentId() == null
                ? null
                : messages.find(reply.parentId()).orElse(null);
        if (!"assistant".equals(reply.role()) || question == null || !"user".equals(question.role())) {
            throw io.rustbucket.core.http.ApiException.validation(
                    "only an assistant's answer to a user message can be regenerated");
        }
        if (question.deleted()) {
            throw io.rustbucket.core.http.ApiException.validation("the question was deleted; restore it first");
        }
        hub.publish(
                question.conversationId(),
                StreamHub.threadActivity(question, core.clock().millis()));
        return new Posted(question, replies.start(question, userId));
    }

    /** A posted message and the assistant reply it started (null for a system message). */
    public record Posted(Message message, Message reply) {}

    /** Someone is typing in a thread: members see it for a few seconds. */
    public void typing(String userId, String conversationId, String rootId) {
        conversations.require(conversationId, userId, ConversationRole.MEMBER);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("conversation_id", conversationId);
        p.put("root_id", rootId);
        p.put("user_id", userId);
        p.put("expires_at", core.clock().instant().plus(TYPING_TTL).toString());
        hub.publish(
                conversationId,
                new StreamHub.Event(
                        "typing.update",
                        p,
                        StreamHub.id(rootId, null, null, core.clock().millis())));
    }

    /** A client's heartbeat: the user's conversations hear when their presence changes ({@link Presence}). */
    public void heartbeat(String userId, String status) {
        presence.heartbeat(userId, status);
    }

    Presence presence() {
        return presence;
    }

    /** Renames a conversation or changes its model (owners and admins); see {@link Conversations#update}. */
    public Conversations.Conversation update(String userId, String conversationId, String title, String model) {
        if (model != null && !model.isBlank() && core.llm().model(model.strip()).isEmpty()) {
            throw io.rustbucket.core.http.ApiException.validation(
                    "no model named '" + model.strip() + "'; see GET /api/v1/models");
        }
        return conversations.update(userId, conversationId, title, model);
    }

    /**
     * Deletes a conversation (its owners only): its running replies are stopped first, then everything in it goes,
     * and every member's open stream hears that they were removed and ends.
     */
    public void delete(String userId, String conversationId) {
        conversations.require(conversationId, userId, ConversationRole.OWNER);
        if (!replies.stopAll(conversationId, DELETE_WAIT)) {
            throw new io.rustbucket.core.http.ApiException(
                    io.rustbucket.core.http.ProblemCode.CONFLICT,
                    "a reply in this conversation did not stop within " + DELETE_WAIT.toSeconds() + " s; try again");
        }
        List<Conversations.Participant> members = conversations.participants(conversationId);
        conversations.purge(conversationId);
        // A message posted while the delete ran (its membership check passed just before) may have started a
        // reply: stop it and sweep again, so no message or chunk outlives the conversation.
        replies.stopAll(conversationId, DELETE_WAIT);
        conversations.purge(conversationId);
        for (Conversations.Participant m : members) {
            membershipChanged(conversationId, m.userId(), null, "removed");
        }
    }

    /** Membership changes are pushed to the conversation's streams. */
    void membershipChanged(String conversationId, String userId, String role, String action) {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("conversation_id", conversationId);
        p.put("user_id", userId);
        if (role != null) {
            p.put("role", role);
        }
        p.put("action", action);
        hub.publish(
                conversationId,
                new StreamHub.Event(
                        "membership.changed",
                        p,
                        StreamHub.id(null, null, null, core.clock().millis())));
    }

    /** Ends the open streams (their clients reconnect elsewhere or later and resume). */
    public void stopStreams() {
        stopping.set(true);
        hub.endAll();
    }

    boolean stopping() {
        return stopping.get();
    }

    @Override
    public void close() {
        presenceSweep.shutdownNow();
        stopStreams();
        hub.close();
        replies.close();
    }
}
