package io.rustbucket.alerts.notify;

import io.rustbucket.alerts.incident.Alert;
import io.rustbucket.core.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Alerts as a JSON POST. The receiver checks {@code X-Rustbucket-Signature: sha256=<hex>}, an HMAC-SHA256 with
 * the shared secret over {@code <X-Rustbucket-Timestamp>.<body>}, and should refuse old timestamps (replays).
 * 2xx = delivered; 408, 429 and 5xx are retried (honouring {@code Retry-After}); other answers are refused for good.
 */
public final class WebhookNotifier implements Notifier {
    public static final String SIGNATURE_HEADER = "X-Rustbucket-Signature";
    public static final String TIMESTAMP_HEADER = "X-Rustbucket-Timestamp";

    private final WebhookConfig config;
    private final Clock clock;
    private final HttpClient http;

    public WebhookNotifier(WebhookConfig config, Clock clock) {
        this.config = config;
        this.clock = clock;
        this.http = HttpClient.newBuilder()
                .connectTimeout(Duration.ofSeconds(config.timeoutSecs()))
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
    }

    @Override
    public String channel() {
        return "webhook";
    }

    @Override
    public Route route() {
        return config.route();
    }

    @Override
    public void send(Alert alert, Alert.Event event, String deliveryId) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("event", event.id());
        payload.put("delivery_id", deliveryId);
        payload.put("subject", Notices.subject(alert, event));
        payload.put("alert", alert);
        String body = Json.write(payload);
        String timestamp = String.valueOf(clock.instant().getEpochSecond());
        HttpRequest request = HttpRequest.newBuilder(URI.create(config.url()))
                .timeout(Duration.ofSeconds(config.timeoutSecs()))
                .header("Content-Type", "application/json")
                .header("User-Agent", "rustbucket-alerts")
                .header("X-Rustbucket-Event", event.id())
                .header("X-Rustbucket-Delivery", deliveryId)
                .header(TIMESTAMP_HEADER, timestamp)
                .header(SIGNATURE_HEADER, "sha256=" + sign(config.secret(), timestamp + "." + body))
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
        HttpResponse<Void> r;
        try {
            r = http.send(request, HttpResponse.BodyHandlers.discarding());
        } catch (IOException e) {
            throw new NotifyException("webhook unreachable: " + e.getClass().getSimpleName(), false, null, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new NotifyException("interrupted", false, null, e);
        }
        int s = r.statusCode();
        if (s / 100 == 2) {
            return;
        }
        Duration retryAfter = r.headers()
                .firstValue("Retry-After")
                .flatMap(v -> {
                    try {
                        return java.util.Optional.of(Duration.ofSeconds(Math.min(3600, Long.parseLong(v.strip()))));
                    } catch (NumberFormatException e) {
                        return java.util.Optional.empty();
                    }
                })
                .orElse(null);
        boolean retry = s == 408 || s == 429 || s >= 500;
        throw new NotifyException("webhook answered HTTP " + s, !retry, retryAfter, null);
    }

    /** Hex HMAC-SHA256 of the text with the secret; what receivers recompute. */
    public static String sign(String secret, String text) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(text.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 unavailable", e);
        }
    }
}
