package io.rustbucket.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.io.BoundedLineReader;
import io.rustbucket.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * OpenAI Chat Completions streaming ({@code POST /chat/completions}, SSE chunks, {@code data: [DONE]}), which
 * OpenAI, vLLM, llama.cpp's server and LM Studio all speak.
 */
final class OpenAiProvider implements ChatProvider {
    static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

    private final ProviderHttp http;
    private final Map<String, String> env;

    OpenAiProvider(ProviderHttp http, Map<String, String> env) {
        this.http = http;
        this.env = env;
    }

    @Override
    public Outcome stream(ModelConfig model, LlmRequest request, Consumer<String> sink)
            throws IOException, InterruptedException {
        String base = ProviderHttp.baseUrl(model, env.get("OPENAI_BASE_URL"), DEFAULT_BASE_URL);
        String key = LlmConfig.firstNonBlank(model.apiKey(), env.get("OPENAI_API_KEY"), env.get("CHATGPT_API_KEY"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model.model());
        body.put("messages", ProviderHttp.roleContent(request.messages(), true));
        body.put("stream", true);
        body.put("stream_options", Map.of("include_usage", true));
        body.put("max_tokens", request.maxTokens() != null ? request.maxTokens() : model.maxTokens());
        body.put("temperature", request.temperature() != null ? request.temperature() : model.temperature());
        Map<String, String> headers = key == null ? Map.of() : Map.of("Authorization", "Bearer " + key);

        FinishReason[] reason = {null};
        Integer[] usage = {null, null};
        boolean[] done = {false};
        try (InputStream in = http.post(URI.create(base + "/chat/completions"), headers, body, request.timeout())) {
            SseReader.read(new BoundedLineReader(in, ProviderHttp.MAX_LINE_BYTES), (event, data) -> {
                if (data.equals("[DONE]")) {
                    done[0] = true;
                    return false;
                }
                JsonNode chunk = Json.mapper().readTree(data);
                if (chunk.has("error")) {
                    throw new LlmException(
                            LlmException.Kind.UPSTREAM,
                            "stream error: "
                                    + ProviderHttp.errorMessage(
                                            data.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
                }
                for (JsonNode choice : chunk.path("choices")) {
                    String text = choice.path("delta").path("content").asText("");
                    if (!text.isEmpty()) {
                        sink.accept(text);
                    }
                    String finish = choice.path("finish_reason").asText("");
                    if (!finish.isEmpty() && !finish.equals("null")) {
                        reason[0] = finish.equals("length") ? FinishReason.LENGTH : FinishReason.STOP;
                    }
                }
                JsonNode u = chunk.path("usage");
                if (u.isObject()) {
                    usage[0] = u.path("prompt_tokens").asInt();
                    usage[1] = u.path("completion_tokens").asInt();
                }
                return true;
            });
        }
        if (!done[0] && reason[0] == null) {
            throw new LlmException(LlmException.Kind.PROTOCOL, "stream ended before [DONE]");
        }
        return new Outcome(reason[0] == null ? FinishReason.STOP : reason[0], usage[0], usage[1]);
    }
}
