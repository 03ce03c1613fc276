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
 * @param roomsCheckSecs how often Bucket Chat rooms in the platform's store are read for spam (in {@code up})
 */
public record AlertsConfig(
        Boolean builtInSamples,
        String consoleUrl,
        MonitorConfig monitors,
        EmailConfig email,
        TelegramConfig telegram,
        WebhookConfig webhook,
        Integer roomsCheckSecs) {

    /**
     * @param botToken the Bot API token; empty = no Telegram
     * @param apiUrl the Bot API address (a local Bot API server, or a test double)
     * @param chatIds chats that receive alerts
     * @param groupBot run the spam-fighting group bot with this token (one process serves every group it is in)
     * @param webhookUrl where Telegram should send updates ({@code .../api/telegram/webhook}); empty = long polling
     * @param webhookSecret the secret Telegram sends back in {@code X-Telegram-Bot-Api-Secret-Token}; required
     *     with a webhook
     * @param pollTimeoutSecs how long one {@code getUpdates} long poll waits for updates
     */
    public record TelegramConfig(
            String botToken,
            String apiUrl,
            List<String> chatIds,
            Severity minSeverity,
            Set<String> kinds,
            Boolean notifyResolved,
            Integer timeoutSecs,
            Boolean groupBot,
            String webhookUrl,
            String webhookSecret,
            Integer pollTimeoutSecs) {
        public TelegramConfig {
            groupBot = groupBot != null && groupBot;
            webhookUrl = webhookUrl == null ? "" : webhookUrl.strip();
            webhookSecret = webhookSecret == null ? "" : webhookSecret.strip();
            pollTimeoutSecs = pollTimeoutSecs == null ? 25 : pollTimeoutSecs;
            require(
                    pollTimeoutSecs >= 0 && pollTimeoutSecs <= 50,
                    "alerts.telegram.poll_timeout_secs",
                    pollTimeoutSecs,
                    "0..50");
            require(
                    webhookUrl.isEmpty() || webhookSecret.matches("[A-Za-z0-9_-]{16,256}"),
                    "alerts.telegram.webhook_secret",
                    "(hidden)",
                    "16-256 characters of A-Z, a-z, 0-9, _ and - (Telegram's rule) when webhook_url is set");
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

        public boolean runsBot() {
            return groupBot && !botToken.isEmpty();
        }
    }

    public AlertsConfig {
        builtInSamples = builtInSamples == null || builtInSamples;
        consoleUrl = consoleUrl == null ? "" : consoleUrl.strip();
        monitors = monitors == null ? MonitorConfig.defaults() : monitors;
        email = email == null
                ? new EmailConfig(null, null, null, null, null, null, null, null, null, null, null, null)
                : email;
        telegram = telegram == null
                ? new TelegramConfig(null, null, null, null, null, null, null, null, null, null, null)
                : telegram;
        webhook = webhook == null ? new WebhookConfig(null, null, null, null, null, null) : webhook;
        roomsCheckSecs = roomsCheckSecs == null ? 10 : roomsCheckSecs;
        require(roomsCheckSecs >= 1 && roomsCheckSecs <= 3600, "alerts.rooms_check_secs", roomsCheckSecs, "1..3600");
    }

    public static AlertsConfig defaults() {
        return new AlertsConfig(null, null, null, null, null, null, null);
    }
}
