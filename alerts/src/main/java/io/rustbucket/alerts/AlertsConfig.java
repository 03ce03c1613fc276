package io.rustbucket.alerts;

import static io.rustbucket.core.config.ConfigException.require;

import io.rustbucket.alerts.incident.Severity;
import io.rustbucket.alerts.monitor.MonitorConfig;
import io.rustbucket.alerts.notify.EmailConfig;
import io.rustbucket.alerts.notify.WebhookConfig;
import java.util.List;
import java.util.Set;

/**
 * The {@code [alerts]} table and its sub-tables.
 *
 * @param builtInSamples learn the shipped labelled corpus at start (turn off to train only on your own samples)
 * @param consoleUrl the platform address put in notices; empty = the platform's public URL
 * @param telegram the bot's token and the chats alerts go to ({@code [alerts.telegram]})
 */
public record AlertsConfig(
        Boolean builtInSamples,
        String consoleUrl,
        MonitorConfig monitors,
        EmailConfig email,
        TelegramConfig telegram,
        WebhookConfig webhook) {

    /**
     * @param botToken the Bot API token; empty = no Telegram
     * @param apiUrl the Bot API address (a local Bot API server, or a test double)
     * @param chatIds chats that receive alerts
     */
    public record TelegramConfig(
            String botToken,
            String apiUrl,
            List<String> chatIds,
            Severity minSeverity,
            Set<String> kinds,
            Boolean notifyResolved,
            Integer timeoutSecs) {
        public TelegramConfig {
            botToken = botToken == null ? "" : botToken.strip();
            apiUrl =
                    apiUrl == null || apiUrl.isBlank() ? io.rustbucket.alerts.telegram.TelegramApi.DEFAULT_API : apiUrl;
            chatIds = chatIds == null ? List.of() : List.copyOf(chatIds);
            notifyResolved = notifyResolved == null || notifyResolved;
            timeoutSecs = timeoutSecs == null ? 15 : timeoutSecs;
            require(timeoutSecs >= 1 && timeoutSecs <= 120, "alerts.telegram.timeout_secs", timeoutSecs, "1..120");
            require(
                    botToken.isEmpty() || botToken.matches("\\d{1,20}:[A-Za-z0-9_-]{20,100}"),
                    "alerts.telegram.bot_token",
                    "(hidden)",
                    "a Bot API token as @BotFather gives it (digits:letters)");
        }

        public boolean notifies() {
            return !botToken.isEmpty() && !chatIds.isEmpty();
        }
    }

    public AlertsConfig {
        builtInSamples = builtInSamples == null || builtInSamples;
        consoleUrl = consoleUrl == null ? "" : consoleUrl.strip();
        monitors = monitors == null ? MonitorConfig.defaults() : monitors;
        email = email == null
                ? new EmailConfig(null, null, null, null, null, null, null, null, null, null, null, null)
                : email;
        telegram = telegram == null ? new TelegramConfig(null, null, null, null, null, null, null) : telegram;
        webhook = webhook == null ? new WebhookConfig(null, null, null, null, null, null) : webhook;
    }

    public static AlertsConfig defaults() {
        return new AlertsConfig(null, null, null, null, null, null);
    }
}
