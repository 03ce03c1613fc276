package io.rustbucket.core.llm;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Map;

/** The HTTP exchange every remote provider shares: POST JSON, check the status, hand back the streaming body. */
final class ProviderHttp {
    /** Error bodies are read only this far: enough for the message, not enough to exhaust memory. */
    static final int MAX_ERROR_BODY_BYTES = 64 * 1024;
    /** Longest line of a stream (SSE or NDJSON): a longer one is a protocol error, not unbounded memory. */
    static final int MAX_LINE_BYTES = 4 * 1024 * 1024;

    private final HttpClient client;

    ProviderHttp(HttpClient client) {
        this.client = client;
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(10))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    /**
     * Posts a JSON body and returns the response stream when the status is 200.
     *
     * @throws LlmException RATE_LIMITED for 429, UPSTREAM for other statuses, UNAVAILABLE when unreachable
     */
    InputStream post(URI uri, Map<String, String> headers, Object body, Duration timeout)
            throws IOException, InterruptedException {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri)
                .timeout(timeout)
                .header("Content-Type", "application/json")
                .header("Accept", "text/event-stream, application/x-ndjson, application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(Json.mapper().writeValueAsBytes(body)));
        headers.forEach(b::header);
        HttpResponse<InputStream> response;
        try {
            response = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpTimeoutException e) {
            throw new LlmException(
                    LlmException.Kind.TIMEOUT,
                    "no response from " + uri.getHost() + " within " + timeout.toSeconds() + " s",
                    0,
                    null,
                    "",
                    e);
        } catch (ConnectException e) {
            throw new LlmException(
                    LlmException.Kind.UNAVAILABLE,
                    "cannot connect to " + uri.getHost() + ":" + uri.getPort(),
                    0,
                    null,
                    "",
                    e);
        }
        int status = response.statusCode();
        if (status == 200) {
            return response.body();
        }
        String message;
        try (InputStream err = response.body()) {
            message = errorMessage(err.readNBytes(MAX_ERROR_BODY_BYTES));
        }
        Duration retryAfter =
                retryAfter(response.headers().firstValue("Retry-After").orElse(null));
        LlmException.Kind kind = status == 429 ? LlmException.Kind.RATE_LIMITED : LlmException.Kind.UPSTREAM;
        throw new LlmException(
                kind, uri.getHost() + " answered " + status + ": " + message, status, retryAfter, "", null);
    }

    /** The {@code [{role, content}]} list that OpenAI-style and Ollama chat APIs take, optionally without system messages. */
    static java.util.List<Map<String, String>> roleContent(java.util.List<LlmMessage> messages, boolean withSystem) {
        return messages.stream()
                .filter(m -> withSystem || m.role() != LlmRole.SYSTEM)
                .map(m -> Map.of("role", m.role().id(), "content", m.content()))
                .toList();
    }

    /** The server to call: the model's base URL, else the environment variable, else the provider's default. */
    static String baseUrl(ModelConfig model, String envValue, String fallback) {
        if (!model.baseUrl().isEmpty()) {
            return model.baseUrl();
        }
        String v = envValue == null || envValue.isBlank() ? fallback : envValue.trim();
        return v.replaceAll("/+$", "");
    }

    /** Pulls a readable message out of an error body in any provider's shape. */
    static String errorMessage(byte[] body) {
        String text = new String(body, java.nio.charset.StandardCharsets.UTF_8).strip();
        try {
            JsonNode n = Json.mapper().readTree(text);
            JsonNode e = n.path("error");
            if (e.isTextual()) {
                return e.asText();
            }
            if (e.path("message").isTextual()) {
                return e.path("message").asText();
            }
            if (n.path("message").isTextual()) {
                return n.path("message").asText();
            }
        } catch (IOException notJson) {
            // fall through to the raw text
        }
        return text.length() > 300 ? text.substring(0, 300) + "..." : text;
    }

    /** Parses Retry-After as seconds or an HTTP date; null when absent or unreadable. */
    static Duration retryAfter(String value) {
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Duration.ofSeconds(Math.max(0, Long.parseLong(value.trim())));
        } catch (NumberFormatException notSeconds) {
            try {
                ZonedDateTime at = ZonedDateTime.parse(value.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
                Duration d = Duration.between(ZonedDateTime.now(at.getZone()), at);
                return d.isNegative() ? Duration.ZERO : d;
            } catch (RuntimeException unreadable) {
                return null;
            }
        }
    }
}
