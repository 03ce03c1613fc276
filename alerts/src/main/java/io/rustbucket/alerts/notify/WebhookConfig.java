package io.rustbucket.alerts.notify;

import static io.rustbucket.core.config.ConfigException.require;

import io.rustbucket.alerts.incident.Severity;
import java.util.Set;

/** The {@code [alerts.webhook]} table. Present when {@code url} is set; the secret then is required (16+ chars). */
public record WebhookConfig(
        String url,
        String secret,
        Severity minSeverity,
        Set<String> kinds,
        Boolean notifyResolved,
        Integer timeoutSecs) {
    public WebhookConfig {
        url = url == null ? "" : url.strip();
        timeoutSecs = timeoutSecs == null ? 10 : timeoutSecs;
        require(timeoutSecs >= 1 && timeoutSecs <= 120, "alerts.webhook.timeout_secs", timeoutSecs, "1..120");
        notifyResolved = notifyResolved == null || notifyResolved;
        if (!url.isEmpty()) {
            require(
                    url.startsWith("https://") || url.startsWith("http://"),
                    "alerts.webhook.url",
                    url,
                    "an http:// or https:// URL");
            require(
                    secret != null && secret.length() >= 16,
                    "alerts.webhook.secret",
                    "(hidden)",
                    "a shared secret of 16 or more characters (receivers verify the signature with it)");
        }
    }

    public boolean enabled() {
        return !url.isEmpty();
    }

    public Route route() {
        return new Route(minSeverity, kinds, notifyResolved);
    }
}
