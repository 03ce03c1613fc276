package io.rustbucket.alerts.notify;

import io.rustbucket.alerts.incident.Alert;
import io.rustbucket.alerts.telegram.TelegramApi;
import io.rustbucket.alerts.telegram.TelegramException;
import java.util.List;
import java.util.Map;

/** Alerts as Telegram messages (Bot API {@code sendMessage}, plain text: nothing in an alert is markup). */
public final class TelegramNotifier implements Notifier {
    private final TelegramApi api;
    private final List<String> chatIds;
    private final Route route;
    private final String consoleUrl;

    public TelegramNotifier(TelegramApi api, List<String> chatIds, Route route, String consoleUrl) {
        this.api = api;
        this.chatIds = List.copyOf(chatIds);
        this.route = route;
        this.consoleUrl = consoleUrl;
    }

    @Override
    public String channel() {
        return "telegram";
    }

    @Override
    public Route route() {
        return route;
    }

    @Override
    public void send(Alert alert, Alert.Event event, String deliveryId) {
        String text = Notices.body(alert, event, consoleUrl);
        if (text.length() > 4000) {
            text = text.substring(0, 4000) + "…"; // Telegram's limit is 4096 characters
        }
        for (String chat : chatIds) {
            try {
                api.call("sendMessage", Map.of("chat_id", chat, "text", text, "disable_web_page_preview", true));
            } catch (TelegramException e) {
                throw new NotifyException(
                        "chat " + chat + ": " + e.getMessage(),
                        e.kind() == TelegramException.Kind.REJECTED,
                        e.retryAfter(),
                        e);
            }
        }
    }
}
