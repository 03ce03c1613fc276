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

/** Ollama's native chat API: {@code POST /api/chat}, one JSON object per line, the last with {@code done: true}. */
final class OllamaProvider implements ChatProvider {
    static final String DEFAULT_BASE_URL = "http://127.0.0.1:11434";

    private final ProviderHttp http;
    private final Map<String, String> env;

    OllamaProvider(ProviderHttp http, Map<String, String> env) {
        this.http = http;
        this.env = env;
    }

    @Override
    public Outcome stream(ModelConfig model, LlmRequest request, Consumer<String> sink)
            throws IOException, InterruptedException {
        String base = ProviderHttp.baseUrl(model, env.get("OLLAMA_BASE_URL"), DEFAULT_BASE_URL);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("model", model.model());
        body.put("messages", ProviderHttp.roleContent(request.messages(), true));
        body.put("stream", true);
        body.put(
                "options",
                Map.of(
                        "num_predict", request.maxTokens() != null ? request.maxTokens() : model.maxTokens(),
                        "temperature", request.temperature() != null ? request.temperature() : model.temperature()));
        try (InputStream in = http.post(URI.create(base + "/api/chat"), Map.of(), body, request.timeout())) {
            BoundedLineReader lines = new BoundedLineReader(in, ProviderHttp.MAX_LINE_BYTES);
            String line;
            while ((line = lines.readLineUtf8()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                JsonNode n = Json.mapper().readTree(line);
                if (n.has("error")) {
                    throw new LlmException(
                            LlmException.Kind.UPSTREAM,
                            "stream error: " + n.path("error").asText());
                }
                String text = n.path("message").path("content").asText("");
                if (!text.isEmpty()) {
                    sink.accept(text);
                }
                if (n.path("done").asBoolean(false)) {
                    FinishReason reason =
                            "length".equals(n.path("done_reason").asText()) ? FinishReason.LENGTH : FinishReason.STOP;
                    Integer in1 = n.has("prompt_eval_count")
                            ? n.path("prompt_eval_count").asInt()
                            : null;
                    Integer out = n.has("eval_count") ? n.path("eval_count").asInt() : null;
                    return new Outcome(reason, in1, out);
                }
            }
        }
        throw new LlmException(LlmException.Kind.PROTOCOL, "stream ended before done: true");
    }
}
