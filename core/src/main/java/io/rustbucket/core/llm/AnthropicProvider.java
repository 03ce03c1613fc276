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
import java.util.stream.Collectors;

/**
 * Anthropic Messages API streaming: named SSE events {@code message_start}, {@code content_block_delta},
 * {@code message_delta}, {@code message_stop}, and {@code error}. System messages go in the top-level
 * {@code system} field, as the API requires.
 */
final class AnthropicProvider implements ChatProvider {
    static final String DEFAULT_BASE_URL = "https://api.anthropic.com";
    static final String API_VERSION = "2023-06-01";

    private final ProviderHttp http;
    private final Map<String, String> env;

    AnthropicProvider(ProviderHttp http, Map<String, String> env) {
        this.http = http;
        this.env = env;
    }

    @Override
    public Outcome stream(ModelConfig model, LlmRequest request, Consumer<String> sink)
            throws IOException, InterruptedException {
        String base = ProviderHttp.baseUrl(model, null, DEFAULT_BASE_URL);
        String key = LlmConfig.firstNonBlank(model.apiKey(), env.get("ANTHROPIC_API_KEY"), env.get("CLAUDE_API_KEY"));
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model.model());
        body.put("max_tokens", request.maxTokens() != null ? request.maxTokens() : model.maxTokens());
        body.put(
                "temperature",
                Math.min(1.0, request.temperature() != null ? request.temperature() : model.temperature()));
        String system = request.messages().stream()
                .filter(m -> m.role() == LlmRole.SYSTEM)
                .map(LlmMessage::content)
                .collect(Collectors.joining("\n\n"));
        if (!system.isEmpty()) {
            body.put("system", system);
        }
        body.put("messages", ProviderHttp.roleContent(request.messages(), false));
        body.put("stream", true);
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("anthropic-version", API_VERSION);
        if (key != null) {
            headers.put("x-api-key", key);
        }

        FinishReason[] reason = {null};
        Integer[] usage = {null, null};
        boolean[] stopped = {false};
        try (InputStream in = http.post(URI.create(base + "/v1/messages"), headers, body, request.timeout())) {
            SseReader.read(new BoundedLineReader(in, ProviderHttp.MAX_LINE_BYTES), (event, data) -> {
                JsonNode n = Json.mapper().readTree(data);
                switch (event) {
                    case "message_start" ->
                        usage[0] = n.path("message")
                                .path("usage")
                                .path("input_tokens")
                                .asInt();
                    case "content_block_delta" -> {
                        String text = n.path("delta").path("text").asText("");
                        if (!text.isEmpty()) {
                            sink.accept(text);
                        }
                    }
                    case "message_delta" -> {
                        String stop = n.path("delta").path("stop_reason").asText("");
                        reason[0] = stop.equals("max_tokens") ? FinishReason.LENGTH : FinishReason.STOP;
                        if (n.path("usage").has("output_tokens")) {
                            usage[1] = n.path("usage").path("output_tokens").asInt();
                        }
                    }
                    case "message_stop" -> {
                        stopped[0] = true;
                        return false;
                    }
                    case "error" ->
                        throw new LlmException(
                                LlmException.Kind.UPSTREAM,
                                "stream error: " + n.path("error").path("type").asText("error") + ": "
                                        + n.path("error").path("message").asText(""));
                    default -> {
                        // ping, content_block_start/stop: nothing to do
                    }
                }
                return true;
            });
        }
        if (!stopped[0]) {
            throw new LlmException(LlmException.Kind.PROTOCOL, "stream ended before message_stop");
        }
        return new Outcome(reason[0] == null ? FinishReason.STOP : reason[0], usage[0], usage[1]);
    }
}
