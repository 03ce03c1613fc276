package io.rustbucket.assistant;

import com.fasterxml.jackson.databind.JsonNode;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rustbucket.core.auth.Principal;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.auth.Scope;
import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.http.ApiServer;
import io.rustbucket.core.http.ProblemCode;
import io.rustbucket.core.http.RateLimiter;
import io.rustbucket.core.http.RequestBodies;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.llm.LlmCall;
import io.rustbucket.core.llm.LlmException;
import io.rustbucket.core.llm.LlmMessage;
import io.rustbucket.core.llm.LlmRequest;
import io.rustbucket.core.llm.LlmResult;
import io.rustbucket.core.llm.LlmRole;
import io.rustbucket.core.runtime.CoreServices;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * An OpenAI-compatible API over the platform's models, for existing OpenAI clients and tools: {@code GET
 * /api/v1/models} and {@code POST /api/v1/chat/completions} (whole answer, or {@code stream: true} as
 * {@code chat.completion.chunk} frames ending in {@code data: [DONE]}). Bearer API tokens only (scope read or
 * admin); rate-limited per token owner.
 */
final class OpenAiRoutes implements ApiServer.Routes {
    static final long MAX_BODY = 1024 * 1024;
    static final int MAX_MESSAGES = 500;

    /** {@code content} is a string, an array of content parts (text only here), or null (an assistant's tool call). */
    record ChatMessage(String role, JsonNode content) {}

    record StreamOptions(Boolean includeUsage) {}

    /** The fields we act on; the rest of OpenAI's (top_p, user, seed, ...) are accepted and not used. */
    record ChatRequest(
            String model,
            List<ChatMessage> messages,
            Boolean stream,
            StreamOptions streamOptions,
            Integer maxTokens,
            Integer maxCompletionTokens,
            Double temperature,
            Integer n) {}

    private final CoreServices core;
    private final RateLimiter perUser;

    OpenAiRoutes(CoreServices core) {
        this.core = core;
        this.perUser = new RateLimiter(60, Duration.ofMinutes(1), 20, 100_000, core.clock());
    }

    @Override
    public void register(RoutesConfig r) {
        r.get("/api/v1/models", ctx -> {
            bearer(ctx);
            long created = core.clock().instant().getEpochSecond();
            List<Map<String, Object>> data = core.llm().models().stream()
                    .map(m -> Map.<String, Object>of(
                            "id", m, "object", "model", "created", created, "owned_by", "rustbucket"))
                    .toList();
            ctx.json(Map.of("object", "list", "data", data));
        });
        r.post("/api/v1/chat/completions", this::completions);
    }

    private Principal bearer(Context ctx) {
        Principal p = core.authenticator().require(ctx, Role.VIEWER);
        if (p.scope().isEmpty()) {
            throw new ApiException(ProblemCode.UNAUTHENTICATED, "send an API key: Authorization: Bearer rbt_...");
        }
        if (p.scope().get() == Scope.INGEST) {
            throw ApiException.forbidden("an ingest token cannot call models; use a read or admin token");
        }
        return p;
    }

    private void completions(Context ctx) throws IOException, InterruptedException {
        Principal p = bearer(ctx);
        perUser.acquire(p.user().id()).ifPresent(wait -> {
            throw ApiException.rateLimited(wait);
        });
        ChatRequest req = RequestBodies.json(ctx, MAX_BODY, ChatRequest.class);
        if (req.messages() == null || req.messages().isEmpty() || req.messages().size() > MAX_MESSAGES) {
            throw ApiException.validation("messages must have 1-" + MAX_MESSAGES + " entries");
        }
        String model = req.model() == null || req.model().isBlank() ? core.llm().defaultModel() : req.model();
        if (core.llm().model(model).isEmpty()) {
            throw ApiException.notFound("model " + model);
        }
        List<LlmMessage> messages = new ArrayList<>();
        for (ChatMessage m : req.messages()) {
            LlmRole role = switch (m.role() == null ? "" : m.role()) {
                case "system", "developer" -> LlmRole.SYSTEM;
                case "assistant" -> LlmRole.ASSISTANT;
                case "user" -> LlmRole.USER;
                default -> throw ApiException.validation("message role must be system, user or assistant");
            };
            messages.add(new LlmMessage(role, text(m.content())));
        }
        if (req.n() != null && req.n() != 1) {
            throw ApiException.validation("n must be 1: one answer per request");
        }
        // max_completion_tokens is the newer name; clients send one or the other.
        Integer maxTokens = req.maxCompletionTokens() != null ? req.maxCompletionTokens() : req.maxTokens();
        LlmRequest request = new LlmRequest(messages, maxTokens, req.temperature(), null);
        String id = "chatcmpl-" + UUID.randomUUID().toString().replace("-", "");
        long created = core.clock().instant().getEpochSecond();
        String caller = "openai-api:" + p.user().id(); // accounted to the user (UsageLedger)
        if (req.stream() != null && req.stream()) {
            boolean includeUsage = req.streamOptions() != null
                    && Boolean.TRUE.equals(req.streamOptions().includeUsage());
            stream(ctx, caller, model, request, id, created, includeUsage);
            return;
        }
        LlmResult result;
        try {
            result = core.llm().complete(caller, model, request);
        } catch (LlmException e) {
            throw upstream(e);
        }
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("id", id);
        body.put("object", "chat.completion");
        body.put("created", created);
        body.put("model", model);
        body.put(
                "choices",
                List.of(Map.of(
                        "index", 0,
                        "message", Map.of("role", "assistant", "content", result.text()),
                        "finish_reason", openAiReason(result.finishReason().id()))));
        body.put("usage", usage(result));
        ctx.json(body);
    }

    /**
     * Streams as OpenAI does: bare {@code data:} frames, no event names, then {@code data: [DONE]}; with {@code
     * stream_options.include_usage}, a last chunk with no choices carries the usage.
     */
    private void stream(
            Context ctx, String caller, String model, LlmRequest request, String id, long created, boolean includeUsage)
            throws IOException, InterruptedException {
        LinkedBlockingQueue<String> tokens = new LinkedBlockingQueue<>();
        LlmCall call;
        try {
            call = core.llm().stream(caller, model, request, tokens::add);
        } catch (LlmException e) {
            throw upstream(e);
        }
        ctx.status(200).contentType("text/event-stream; charset=utf-8");
        ctx.header("Cache-Control", "no-cache");
        ctx.header("X-Accel-Buffering", "no");
        OutputStream out = ctx.res().getOutputStream();
        try {
            frame(out, chunk(id, created, model, Map.of("role", "assistant", "content", ""), null));
            while (true) {
                String t = tokens.poll(100, TimeUnit.MILLISECONDS);
                if (t != null) {
                    frame(out, chunk(id, created, model, Map.of("content", t), null));
                } else if (call.result().isDone() && tokens.isEmpty()) {
                    break;
                }
            }
            String reason;
            LlmResult result = null;
            try {
                result = call.result().get();
                reason = openAiReason(result.finishReason().id());
            } catch (ExecutionException e) {
                Map<String, Object> err = Map.of(
                        "error",
                        Map.of(
                                "message",
                                String.valueOf(
                                        e.getCause() == null ? e : e.getCause().getMessage()),
                                "type",
                                "upstream_error"));
                frame(out, Json.write(err));
                reason = "stop";
            }
            frame(out, chunk(id, created, model, Map.of(), reason));
            if (includeUsage) {
                Map<String, Object> last = chunkOf(id, created, model, List.of());
                last.put("usage", result == null ? usage(0, 0) : usage(result));
                frame(out, Json.write(last));
            }
            out.write("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
        } catch (IOException e) { // the client went away: the call is cancelled, not left running
            call.cancel();
        }
    }

    private static String chunk(String id, long created, String model, Map<String, Object> delta, String reason) {
        Map<String, Object> choice = new LinkedHashMap<>();
        choice.put("index", 0);
        choice.put("delta", delta);
        choice.put("finish_reason", reason);
        return Json.write(chunkOf(id, created, model, List.of(choice)));
    }

    /** A {@code chat.completion.chunk} with these choices (none for the last one, which carries the usage). */
    private static Map<String, Object> chunkOf(String id, long created, String model, List<Object> choices) {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", model);
        c.put("choices", choices);
        return c;
    }

    private static void frame(OutputStream out, String json) throws IOException {
        out.write(("data: " + json + "\n\n").getBytes(StandardCharsets.UTF_8));
        out.flush();
    }

    /** OpenAI knows stop and length; a cancelled or timed-out answer simply stopped. */
    static String openAiReason(String ours) {
        return "length".equals(ours) ? "length" : "stop";
    }

    private static Map<String, Object> usage(LlmResult r) {
        return r.usage() == null
                ? usage(0, 0)
                : usage(r.usage().inputTokens(), r.usage().outputTokens());
    }

    private static Map<String, Object> usage(int in, int out) {
        return Map.of("prompt_tokens", in, "completion_tokens", out, "total_tokens", in + out);
    }

    /**
     * A message's text: a string, or the text parts of a content array joined by newlines. Images, audio and files
     * are refused with a clear error rather than dropped: the model would answer without what the user sent.
     */
    static String text(JsonNode content) {
        if (content == null || content.isNull() || content.isMissingNode()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (!content.isArray()) {
            throw ApiException.validation("message content must be a string or an array of content parts");
        }
        StringBuilder text = new StringBuilder();
        for (JsonNode part : content) {
            String type = part.path("type").asText("");
            if (!type.equals("text")) {
                throw ApiException.validation("only text content parts are supported (got '"
                        + (type.length() > 40 ? type.substring(0, 40) : type) + "')");
            }
            if (!text.isEmpty()) {
                text.append('\n');
            }
            text.append(part.path("text").asText(""));
        }
        return text.toString();
    }

    private static ApiException upstream(LlmException e) {
        return switch (e.kind()) {
            case RATE_LIMITED, BUSY -> ApiException.rateLimited(Duration.ofSeconds(5));
            case UNKNOWN_MODEL -> ApiException.notFound("model");
            default -> ApiException.unavailable("the model failed: " + e.getMessage(), null);
        };
    }
}
