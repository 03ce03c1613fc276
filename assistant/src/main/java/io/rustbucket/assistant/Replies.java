package io.rustbucket.assistant;

import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.llm.FinishReason;
import io.rustbucket.core.llm.LlmCall;
import io.rustbucket.core.llm.LlmException;
import io.rustbucket.core.llm.LlmGateway;
import io.rustbucket.core.llm.LlmMessage;
import io.rustbucket.core.llm.LlmRequest;
import io.rustbucket.core.llm.LlmResult;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The assistant's replies: each user message starts a generation on the server, independent of any connection.
 * The context is the message's ancestor chain (system messages become the system prompt, deleted ones are left
 * out); tokens stream through the model gateway, each is persisted as a chunk and published to every open stream
 * of the conversation; the end (stop, length, cancelled, timeout, error) is written and published once.
 */
public final class Replies implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Replies.class);

    private final Messages messages;
    private final Conversations conversations;
    private final StreamHub hub;
    private final LlmGateway llm;
    private final Clock clock;
    /** Running replies by message id. */
    private final Map<String, Running> running = new ConcurrentHashMap<>();
    /** Chunks published but not yet saved, per conversation (a few per running reply at most). */
    private final Map<String, Set<Unsaved>> unsaved = new ConcurrentHashMap<>();

    private record Unsaved(Message reply, Messages.Chunk chunk) {}

    private record Running(String conversationId, LlmCall call) {}

    public Replies(Messages messages, Conversations conversations, StreamHub hub, LlmGateway llm, Clock clock) {
        this.messages = messages;
        this.conversations = conversations;
        this.hub = hub;
        this.llm = llm;
        this.clock = clock;
    }

    /** Starts the assistant's reply to a user message; returns the (streaming) reply. */
    public Message start(Message userMessage, String userId) {
        String model = conversations
                .find(userMessage.conversationId())
                .map(Conversations.Conversation::model)
                .filter(m -> m != null && !m.isBlank())
                .orElse(llm.defaultModel());
        Message reply = messages.startAssistantReply(userMessage, model);
        List<LlmMessage> context = context(messages.ancestry(userMessage));
        AtomicInteger seq = new AtomicInteger();
        String cid = reply.conversationId();
        LlmCall call;
        try {
            call = llm.stream("assistant:" + userId, model, LlmRequest.of(context), token -> {
                // Published first, saved second: the readers do not wait for the insert. Until it commits, the
                // chunk is in unsaved, where a resuming client's catch-up finds it.
                Messages.Chunk chunk = new Messages.Chunk(seq.getAndIncrement(), token, clock.instant());
                Unsaved u = new Unsaved(reply, chunk);
                unsaved.compute(cid, (k, set) -> {
                    Set<Unsaved> s = set == null ? ConcurrentHashMap.newKeySet() : set;
                    s.add(u);
                    return s;
                });
                try {
                    hub.publish(cid, delta(reply, chunk.seq(), token));
                    messages.appendChunk(reply.id(), chunk);
                } finally {
                    unsaved.computeIfPresent(cid, (k, set) -> {
                        set.remove(u);
                        return set.isEmpty() ? null : set;
                    });
                }
            });
        } catch (LlmException e) { // an unknown model: the reply ends at once, with the reason
            finish(reply, "", "error", e.getMessage());
            return reply;
        }
        running.put(reply.id(), new Running(cid, call));
        call.result().whenComplete((result, error) -> {
            running.remove(reply.id());
            if (result != null) {
                finish(reply, result.text(), result.finishReason().id(), null, result);
            } else {
                Throwable cause = error instanceof java.util.concurrent.CompletionException ? error.getCause() : error;
                log.warn("assistant reply {} failed: {}", reply.id(), cause == null ? "?" : cause.getMessage());
                finish(
                        reply,
                        partial(reply.id()),
                        FinishReason.ERROR.id(),
                        cause == null ? "error" : cause.getMessage());
            }
        });
        return reply;
    }

    /** Stops a running reply (a member who wrote the question, or an owner/admin). */
    public boolean cancel(String userId, String messageId) {
        Message m = messages.find(messageId).orElseThrow(() -> ApiException.notFound("message " + messageId));
        ConversationRole role = conversations.require(m.conversationId(), userId, ConversationRole.MEMBER);
        if (!"assistant".equals(m.role())) {
            throw ApiException.validation("only an assistant reply can be cancelled");
        }
        String askedBy = m.parentId() == null
                ? null
                : messages.find(m.parentId()).map(Message::authorUserId).orElse(null);
        if (!userId.equals(askedBy) && !role.atLeast(ConversationRole.ADMIN)) {
            throw ApiException.forbidden("only who asked, or an owner/admin, can stop this reply");
        }
        Running r = running.get(messageId);
        if (r == null) {
            return false; // already finished
        }
        r.call().cancel();
        return true;
    }

    /**
     * Cancels the conversation's running replies and waits, up to {@code wait}, until each has ended: after that no
     * chunk of theirs is written (a reply's chunks are saved before its call completes).
     *
     * @return false when one did not end in time
     */
    boolean stopAll(String conversationId, java.time.Duration wait) {
        List<LlmCall> calls = running.values().stream()
                .filter(r -> r.conversationId().equals(conversationId))
                .map(Running::call)
                .toList();
        calls.forEach(LlmCall::cancel);
        long deadline = System.nanoTime() + wait.toNanos();
        for (LlmCall c : calls) {
            try {
                c.result().get(Math.max(0, deadline - System.nanoTime()), java.util.concurrent.TimeUnit.NANOSECONDS);
            } catch (java.util.concurrent.ExecutionException | java.util.concurrent.CancellationException ended) {
                // ended with an error: ended all the same
            } catch (java.util.concurrent.TimeoutException late) {
                return false;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }

    /**
     * The chunks of a conversation after {@code since} that a resuming client must get, saved or still being
     * saved, in order. The unsaved ones are read before the saved: a chunk leaves the unsaved set only after its
     * insert commits, so it is in one or the other (or both: it is sent once).
     */
    List<Map.Entry<Message, Messages.Chunk>> chunksSince(String conversationId, java.time.Instant since, int limit) {
        Set<Unsaved> pending = unsaved.get(conversationId);
        List<Unsaved> inFlight = pending == null ? List.of() : List.copyOf(pending);
        Map<String, Map.Entry<Message, Messages.Chunk>> all = new LinkedHashMap<>();
        for (var e : messages.chunksSince(conversationId, since, limit)) {
            all.put(e.getKey().id() + ":" + e.getValue().seq(), e);
        }
        for (Unsaved u : inFlight) {
            if (u.chunk().createdAt().isAfter(since)) {
                all.putIfAbsent(u.reply().id() + ":" + u.chunk().seq(), Map.entry(u.reply(), u.chunk()));
            }
        }
        List<Map.Entry<Message, Messages.Chunk>> sorted = new ArrayList<>(all.values());
        sorted.sort(java.util.Comparator.comparing(
                        (Map.Entry<Message, Messages.Chunk> e) -> e.getValue().createdAt())
                .thenComparingInt(e -> e.getValue().seq()));
        return sorted.size() > limit ? sorted.subList(0, limit) : sorted;
    }

    public int running() {
        return running.size();
    }

    private void finish(Message reply, String text, String reason, String error) {
        finish(reply, text, reason, error, null);
    }

    private void finish(Message reply, String text, String reason, String error, LlmResult result) {
        messages.finishAssistantReply(reply.id(), text, reason);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("message_id", reply.id());
        p.put("root_id", reply.rootId());
        p.put("conversation_id", reply.conversationId());
        p.put("finish_reason", reason);
        if (result != null && result.usage() != null) {
            p.put(
                    "usage",
                    Map.of(
                            "prompt_tokens", result.usage().inputTokens(),
                            "completion_tokens", result.usage().outputTokens()));
        }
        if (error != null) {
            p.put("error", error);
        }
        long now = clock.millis();
        hub.publish(
                reply.conversationId(),
                new StreamHub.Event("message.done", p, StreamHub.id(reply.rootId(), reply.id(), null, now)));
        hub.publish(reply.conversationId(), StreamHub.threadActivity(reply, now));
    }

    private String partial(String messageId) {
        return messages.streamedText(messageId);
    }

    StreamHub.Event delta(Message reply, int seq, String token) {
        Map<String, Object> delta = new LinkedHashMap<>();
        if (seq == 0) {
            delta.put("role", "assistant");
        }
        delta.put("content", token);
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("message_id", reply.id());
        p.put("root_id", reply.rootId());
        p.put("conversation_id", reply.conversationId());
        p.put("parent_id", reply.parentId());
        p.put("depth", reply.depth());
        p.put("choices", List.of(Map.of("index", 0, "delta", delta)));
        return new StreamHub.Event("message.delta", p, StreamHub.id(reply.rootId(), reply.id(), seq, clock.millis()));
    }

    /** The model's messages for a chain: system messages first (the system prompt), then the dialogue. */
    static List<LlmMessage> context(List<Message> chain) {
        List<LlmMessage> system = new ArrayList<>();
        List<LlmMessage> dialogue = new ArrayList<>();
        for (Message m : chain) {
            if (m.deleted() || m.content().isBlank()) {
                continue;
            }
            switch (m.role()) {
                case "system" -> system.add(LlmMessage.system(m.content()));
                case "assistant" -> dialogue.add(LlmMessage.assistant(m.content()));
                default -> dialogue.add(LlmMessage.user(m.content()));
            }
        }
        system.addAll(dialogue);
        return system;
    }

    @Override
    public void close() {
        running.values().forEach(r -> r.call().cancel());
    }
}
