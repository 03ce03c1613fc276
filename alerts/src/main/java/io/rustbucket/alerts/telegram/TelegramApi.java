package io.rustbucket.alerts.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Map;

/**
 * A Telegram Bot API client: JSON POSTs to {@code {api}/bot{token}/{method}}, the {@code ok}/{@code result}
 * envelope unwrapped, 429 answers turned into {@link TelegramException.Kind#RATE_LIMITED} with Telegram's
 * {@code retry_after}. Answers larger than {@link #MAX_ANSWER_BYTES} are refused.
 */
public final class TelegramApi {
    public static final String DEFAULT_API = "https://api.telegram.org";
    static final int MAX_ANSWER_BYTES = 8 * 1024 * 1024;

    private final String api;
    private final String token;
    private final Duration timeout;
    private final HttpClient http;

    public TelegramApi(String api, String token, Duration timeout) {
        this.api = api.replaceAll("/+$", "");
        this.token = token;
        this.timeout = timeout;
        this.http =
                HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    }

    /** Calls a method with the usual deadline. */
    public JsonNode call(String method, Map<String, ?> params) {
        return call(method, params, timeout);
    }

    /**
     * Calls a method; {@code deadline} covers long polls ({@code getUpdates} with a timeout).
     *
     * @return the {@code result} of a successful answer
     */
    public JsonNode call(String method, Map<String, ?> params, Duration deadline) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(api + "/bot" + token + "/" + method))
                .timeout(deadline)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Json.write(params)))
                .build();
        HttpResponse<byte[]> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new TelegramException(
                    TelegramException.Kind.UNAVAILABLE,
                    method + ": " + e.getClass().getSimpleName(),
                    null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TelegramException(TelegramException.Kind.UNAVAILABLE, method + ": interrupted", null);
        }
        if (r.body().length > MAX_ANSWER_BYTES) {
            throw new TelegramException(TelegramException.Kind.UNAVAILABLE, method + ": answer too large", null);
        }
        JsonNode body;
        try {
            body = Json.mapper().readTree(r.body());
        } catch (IOException e) {
            throw new TelegramException(
                    TelegramException.Kind.UNAVAILABLE, method + ": HTTP " + r.statusCode() + " without JSON", null);
        }
        if (body != null && body.path("ok").asBoolean(false)) {
            return body.path("result");
        }
        String description = body == null ? "" : body.path("description").asText("");
        int code = body == null ? r.statusCode() : body.path("error_code").asInt(r.statusCode());
        if (code == 429) {
            long secs = body == null
                    ? 1
                    : body.path("parameters").path("retry_after").asLong(1);
            throw new TelegramException(
                    TelegramException.Kind.RATE_LIMITED,
                    method + ": 429 " + description,
                    Duration.ofSeconds(Math.max(1, Math.min(secs, 3600))));
        }
        TelegramException.Kind kind =
                code >= 500 ? TelegramException.Kind.UNAVAILABLE : TelegramException.Kind.REJECTED;
        throw new TelegramException(kind, method + ": " + code + " " + description, null);
    }
}
