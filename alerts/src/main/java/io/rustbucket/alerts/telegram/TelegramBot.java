package io.rustbucket.alerts.telegram;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.alerts.spam.GroupSettings;
import io.rustbucket.alerts.spam.SpamAction;
import io.rustbucket.alerts.spam.SpamFilter;
import io.rustbucket.alerts.spam.SpamMessage;
import io.rustbucket.alerts.spam.SpamVerdict;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Telegram group bot: one process serving every group it is in. Updates arrive by long polling
 * ({@code getUpdates}, the default) or by webhook ({@link #handle}); each group message (text, caption, or media
 * alone) goes through the spam filter with the group's settings, and a spam verdict is carried out: warn, delete,
 * restrict (soft ban), ban, and a report to the group's admin chat with "not spam" / "ban" buttons. Members report
 * a message by replying {@code /report}. Owners, administrators, anonymous admins and the group's linked channel
 * are never punished. Telegram's 429 answers are honoured: the call waits {@code retry_after} and is retried.
 */
public final class TelegramBot implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(TelegramBot.class);
    /** Telegram's user id of "GroupAnonymousBot", the sender of anonymous admins' messages. */
    static final long ANONYMOUS_ADMIN = 1087968824L;

    static final Duration ADMINS_CACHE = Duration.ofMinutes(10);
    /** The longest Telegram-requested pause honoured inline; longer waits fail the action and are recorded. */
    static final Duration MAX_RETRY_WAIT = Duration.ofSeconds(30);

    static final int MAX_ATTEMPTS = 4;
    static final String CALLBACK_PREFIX = "rb:";

    private record Admins(Set<Long> ids, Instant at) {}

    private final TelegramApi api;
    private final SpamFilter spam;
    private final TelegramLinks links;
    private final Clock clock;
    private final Duration pollTimeout;
    private final Map<Long, Admins> admins = new ConcurrentHashMap<>();
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicLong offset = new AtomicLong();
    private final AtomicLong handled = new AtomicLong();
    private volatile String username = "";
    private Thread poller;

    public TelegramBot(TelegramApi api, SpamFilter spam, TelegramLinks links, Clock clock, Duration pollTimeout) {
        this.api = api;
        this.spam = spam;
        this.links = links;
        this.clock = clock;
        this.pollTimeout = pollTimeout;
    }

    /** Starts long polling (after removing any webhook, which would make getUpdates fail). */
    public void startPolling() {
        if (!running.compareAndSet(false, true)) {
            return;
        }
        poller = Thread.ofPlatform().daemon().name("telegram-bot").start(this::poll);
    }

    /** Registers the webhook with its secret; updates then arrive at {@link #handle}. */
    public void useWebhook(String url, String secret) {
        api.call(
                "setWebhook",
                Map.of(
                        "url", url,
                        "secret_token", secret,
                        "allowed_updates", List.of("message", "edited_message", "callback_query")));
        whoAmI();
    }

    /** How many updates were handled: the health of the bot for the status API. */
    public long handled() {
        return handled.get();
    }

    private void poll() {
        long backoffMs = 1000;
        while (running.get()) {
            try {
                if (username.isEmpty()) {
                    api.call("deleteWebhook", Map.of("drop_pending_updates", false));
                    whoAmI();
                }
                Map<String, Object> params = new LinkedHashMap<>();
                params.put("offset", offset.get());
                params.put("timeout", pollTimeout.toSeconds());
                params.put("allowed_updates", List.of("message", "edited_message", "callback_query"));
                JsonNode updates = api.call("getUpdates", params, pollTimeout.plusSeconds(10));
                for (JsonNode u : updates) {
                    offset.set(Math.max(offset.get(), u.path("update_id").asLong() + 1));
                    handle(u);
                }
                backoffMs = 1000;
            } catch (TelegramException e) {
                if (!running.get()) {
                    return;
                }
                long waitMs = e.retryAfter() != null ? e.retryAfter().toMillis() : backoffMs;
                log.warn("telegram polling failed ({}); again in {} ms", e.getMessage(), waitMs);
                sleep(waitMs);
                backoffMs = Math.min(backoffMs * 2, 60_000);
            } catch (RuntimeException e) { // a bug handling one update must not stop the bot
                log.error("telegram update handling failed", e);
            }
        }
    }

    /** Handles one update (from polling or the webhook route). */
    public void handle(JsonNode update) {
        handled.incrementAndGet();
        if (update.hasNonNull("message")) {
            onMessage(update.get("message"));
        } else if (update.hasNonNull("edited_message")) {
            onMessage(update.get("edited_message"));
        } else if (update.hasNonNull("callback_query")) {
            onCallback(update.get("callback_query"));
        }
    }

    private void onMessage(JsonNode m) {
        JsonNode chat = m.path("chat");
        long chatId = chat.path("id").asLong();
        String type = chat.path("type").asText();
        String text = m.hasNonNull("text")
                ? m.get("text").asText()
                : m.path("caption").asText("");
        if ("private".equals(type)) {
            if (text.startsWith("/start")) {
                start(chatId, m.path("from"), text.substring("/start".length()).strip());
            }
            return;
        }
        if (!"group".equals(type) && !"supergroup".equals(type)) {
            return;
        }
        String command = command(text);
        if ("/report".equals(command) && m.hasNonNull("reply_to_message")) {
            report(chat, m, m.get("reply_to_message"));
            return;
        }
        if ("/link".equals(command)) {
            link(chat, m);
            return;
        }
        boolean media = !m.hasNonNull("text")
                && (m.has("photo")
                        || m.has("video")
                        || m.has("animation")
                        || m.has("document")
                        || m.has("sticker")
                        || m.has("voice")
                        || m.has("video_note"));
        if (text.isEmpty() && !media) {
            return; // service messages: joins, pins, title changes
        }
        JsonNode from = m.path("from");
        boolean privileged = privileged(chatId, m);
        String group = Long.toString(chatId);
        SpamFilter.Judged j = spam.check(
                new SpamMessage(group, Long.toString(from.path("id").asLong()), name(from), text, media, privileged),
                group + ":" + m.path("message_id").asLong());
        if (j.verdict().spam()) {
            act(chat, m, j);
        }
    }

    /** Carries out a spam verdict and records what was done (or why it failed). */
    private void act(JsonNode chat, JsonNode m, SpamFilter.Judged j) {
        long chatId = chat.path("id").asLong();
        long messageId = m.path("message_id").asLong();
        long userId = m.path("from").path("id").asLong();
        SpamVerdict v = j.verdict();
        GroupSettings g = spam.groups().settings(Long.toString(chatId));
        String error = null;
        try {
            switch (v.action()) {
                case NONE, REPORT -> {}
                case WARN ->
                    call(
                            "sendMessage",
                            Map.of(
                                    "chat_id",
                                    chatId,
                                    "text",
                                    "⚠️ " + name(m.path("from")) + ", this message looks like spam ("
                                            + String.join(", ", v.fired()) + "). Admins have been told.",
                                    "reply_parameters",
                                    Map.of("message_id", messageId, "allow_sending_without_reply", true)));
                case DELETE -> call("deleteMessage", Map.of("chat_id", chatId, "message_id", messageId));
                case RESTRICT -> {
                    call("deleteMessage", Map.of("chat_id", chatId, "message_id", messageId));
                    call(
                            "restrictChatMember",
                            Map.of("chat_id", chatId, "user_id", userId, "permissions", permissions(false)));
                }
                case BAN -> {
                    call("deleteMessage", Map.of("chat_id", chatId, "message_id", messageId));
                    call("banChatMember", Map.of("chat_id", chatId, "user_id", userId, "revoke_messages", true));
                }
            }
        } catch (TelegramException e) {
            error = e.getMessage();
            log.warn("telegram action {} in {} failed: {}", v.action().id(), chatId, e.getMessage());
        }
        spam.log().actionResult(j.id(), v.action(), error);
        if (g.adminChat() != null && !g.adminChat().isBlank()) {
            sendReport(
                    g.adminChat(),
                    chat,
                    m,
                    j.id(),
                    "Spam (" + v.action().id() + ", score "
                            + String.format(java.util.Locale.ROOT, "%.2f", v.score()) + ": "
                            + String.join(", ", v.fired())
                            + ")" + (error == null ? "" : "; the action failed: " + error));
        }
    }

    /** A member's {@code /report}: the message is judged and logged, and the admins get it with buttons. */
    private void report(JsonNode chat, JsonNode reportMessage, JsonNode reported) {
        long chatId = chat.path("id").asLong();
        String group = Long.toString(chatId);
        String text = reported.hasNonNull("text")
                ? reported.get("text").asText()
                : reported.path("caption").asText("");
        JsonNode from = reported.path("from");
        SpamFilter.Judged j = spam.check(
                new SpamMessage(
                        group,
                        Long.toString(from.path("id").asLong()),
                        name(from),
                        text,
                        text.isEmpty(),
                        privileged(chatId, reported)),
                group + ":" + reported.path("message_id").asLong());
        GroupSettings g = spam.groups().settings(group);
        String adminChat = g.adminChat() == null || g.adminChat().isBlank() ? group : g.adminChat();
        sendReport(
                adminChat,
                chat,
                reported,
                j.id(),
                "Reported by " + name(reportMessage.path("from"))
                        + " (engine: " + (j.verdict().spam() ? "spam" : "not spam") + ", score "
                        + String.format(
                                java.util.Locale.ROOT, "%.2f", j.verdict().score()) + ")");
        try {
            call(
                    "deleteMessage",
                    Map.of(
                            "chat_id",
                            chatId,
                            "message_id",
                            reportMessage.path("message_id").asLong()));
        } catch (TelegramException e) { // the bot may not be allowed to delete; the report went out anyway
            log.debug("could not delete a /report command: {}", e.getMessage());
        }
    }

    private void sendReport(String adminChat, JsonNode chat, JsonNode m, String verdictId, String why) {
        String text = why + "\nGroup: "
                + chat.path("title").asText(chat.path("id").asText()) + "\nFrom: "
                + name(m.path("from")) + " (" + m.path("from").path("id").asLong() + ")\n\n"
                + cut(
                        m.hasNonNull("text")
                                ? m.get("text").asText()
                                : m.path("caption").asText("[media]"),
                        3000);
        try {
            call(
                    "sendMessage",
                    Map.of(
                            "chat_id", adminChat,
                            "text", text,
                            "reply_markup",
                                    Map.of(
                                            "inline_keyboard",
                                            List.of(List.of(
                                                    Map.of(
                                                            "text",
                                                            "✅ Not spam",
                                                            "callback_data",
                                                            CALLBACK_PREFIX + "ham:" + verdictId),
                                                    Map.of(
                                                            "text",
                                                            "⛔ Ban",
                                                            "callback_data",
                                                            CALLBACK_PREFIX + "ban:" + verdictId))))));
        } catch (TelegramException e) {
            log.warn("telegram report to {} failed: {}", adminChat, e.getMessage());
        }
    }

    /** An admin pressed "not spam" or "ban" under a report. */
    private void onCallback(JsonNode q) {
        String data = q.path("data").asText("");
        String id = q.path("id").asText();
        if (!data.startsWith(CALLBACK_PREFIX)) {
            answer(id, "Unknown button.");
            return;
        }
        String[] parts = data.substring(CALLBACK_PREFIX.length()).split(":", 2);
        var entry = parts.length == 2
                ? spam.log().find(parts[1])
                : java.util.Optional.<io.rustbucket.alerts.spam.SpamLog.Entry>empty();
        if (entry.isEmpty() || entry.get().group() == null || entry.get().userId() == null) {
            answer(id, "That report is no longer known.");
            return;
        }
        var e = entry.get();
        long chatId = Long.parseLong(e.group());
        long presser = q.path("from").path("id").asLong();
        if (!admins(chatId).contains(presser)) {
            answer(id, "Only admins of the group can decide.");
            return;
        }
        String by = "telegram:" + name(q.path("from"));
        long userId = Long.parseLong(e.userId());
        try {
            if ("ham".equals(parts[0])) {
                spam.feedback(e.id(), false, by);
                if (e.action() == SpamAction.RESTRICT) {
                    call(
                            "restrictChatMember",
                            Map.of("chat_id", chatId, "user_id", userId, "permissions", permissions(true)));
                } else if (e.action() == SpamAction.BAN) {
                    call("unbanChatMember", Map.of("chat_id", chatId, "user_id", userId, "only_if_banned", true));
                }
                answer(id, "Marked as not spam; the sender is free again.");
            } else if ("ban".equals(parts[0])) {
                spam.feedback(e.id(), true, by);
                call("banChatMember", Map.of("chat_id", chatId, "user_id", userId, "revoke_messages", true));
                spam.log().actionResult(e.id(), SpamAction.BAN, null);
                answer(id, "Banned, and learned as spam.");
            } else {
                answer(id, "Unknown button.");
            }
        } catch (TelegramException ex) {
            answer(id, "Telegram refused: " + ex.getMessage());
        }
    }

    private void start(long chatId, JsonNode from, String code) {
        String reply;
        if (code.isEmpty()) {
            reply = "Hello. I keep groups free of spam. To link your groups to your Rustbucket account, get a code"
                    + " in the console and send /start <code> here.";
        } else {
            reply = links.redeem(code, Long.toString(from.path("id").asLong()))
                    .map(u -> "Linked to Rustbucket user " + u + ". Send /link in a group you administer to"
                            + " manage it from the console.")
                    .orElse("That code is unknown, used or expired. Ask the console for a new one.");
        }
        try {
            call("sendMessage", Map.of("chat_id", chatId, "text", reply));
        } catch (TelegramException e) {
            log.warn("telegram /start answer failed: {}", e.getMessage());
        }
    }

    /** {@code /link} by a linked group admin: the group's settings are created under their account. */
    private void link(JsonNode chat, JsonNode m) {
        long chatId = chat.path("id").asLong();
        String sender = Long.toString(m.path("from").path("id").asLong());
        String reply;
        if (!admins(chatId).contains(m.path("from").path("id").asLong())) {
            reply = "Only an admin of this group can link it.";
        } else {
            var user = links.userOf(sender);
            if (user.isEmpty()) {
                reply = "Link your Telegram account first: send /start <code> to me in a private chat.";
            } else {
                String group = Long.toString(chatId);
                GroupSettings s = spam.groups().settings(group);
                spam.groups().save(group, s.withTitle(chat.path("title").asText("")), user.get());
                reply = "This group is now managed by Rustbucket user " + user.get() + ".";
            }
        }
        try {
            call("sendMessage", Map.of("chat_id", chatId, "text", reply));
        } catch (TelegramException e) {
            log.warn("telegram /link answer failed: {}", e.getMessage());
        }
    }

    /** Owners, admins, anonymous admins and the group's own channel posts are never punished. */
    private boolean privileged(long chatId, JsonNode m) {
        JsonNode senderChat = m.path("sender_chat");
        if (!senderChat.isMissingNode() && senderChat.path("id").asLong() == chatId) {
            return true; // an anonymous admin
        }
        if (m.path("is_automatic_forward").asBoolean(false)) {
            return true; // the linked channel's post
        }
        long from = m.path("from").path("id").asLong();
        return from == ANONYMOUS_ADMIN || admins(chatId).contains(from);
    }

    /** The group's owner and administrators, cached for ten minutes; empty when Telegram cannot say. */
    Set<Long> admins(long chatId) {
        Admins a = admins.get(chatId);
        Instant now = clock.instant();
        if (a != null && Duration.between(a.at(), now).compareTo(ADMINS_CACHE) < 0) {
            return a.ids();
        }
        try {
            JsonNode list = call("getChatAdministrators", Map.of("chat_id", chatId));
            Set<Long> ids = new java.util.HashSet<>();
            list.forEach(member -> ids.add(member.path("user").path("id").asLong()));
            a = new Admins(Set.copyOf(ids), now);
            admins.put(chatId, a);
            return a.ids();
        } catch (TelegramException e) {
            log.warn("telegram getChatAdministrators({}) failed: {}", chatId, e.getMessage());
            return a == null ? Set.of() : a.ids(); // a stale list beats treating admins as members
        }
    }

    /** One call, retried after Telegram's {@code retry_after} (up to {@link #MAX_RETRY_WAIT}) or a 5xx. */
    private JsonNode call(String method, Map<String, ?> params) {
        for (int attempt = 1; ; attempt++) {
            try {
                return api.call(method, params);
            } catch (TelegramException e) {
                boolean retry = e.kind() != TelegramException.Kind.REJECTED && attempt < MAX_ATTEMPTS;
                Duration wait = e.retryAfter() != null ? e.retryAfter() : Duration.ofMillis(250L << attempt);
                if (!retry || wait.compareTo(MAX_RETRY_WAIT) > 0) {
                    throw e;
                }
                sleep(wait.toMillis());
            }
        }
    }

    private void answer(String callbackId, String text) {
        try {
            call("answerCallbackQuery", Map.of("callback_query_id", callbackId, "text", text));
        } catch (TelegramException e) {
            log.debug("answerCallbackQuery failed: {}", e.getMessage());
        }
    }

    private void whoAmI() {
        username = api.call("getMe", Map.of()).path("username").asText("bot");
    }

    private String command(String text) {
        if (!text.startsWith("/")) {
            return "";
        }
        String word = text.split("\\s", 2)[0];
        int at = word.indexOf('@');
        if (at > 0) { // /report@OurBot: only commands addressed to us (or to no one)
            if (username.isEmpty()) {
                try {
                    whoAmI();
                } catch (TelegramException e) {
                    return ""; // cannot tell whether it is addressed to us
                }
            }
            return word.substring(at + 1).equalsIgnoreCase(username) ? word.substring(0, at) : "";
        }
        return word;
    }

    static Map<String, Object> permissions(boolean allowed) {
        return List.of(
                        "can_send_messages",
                        "can_send_audios",
                        "can_send_documents",
                        "can_send_photos",
                        "can_send_videos",
                        "can_send_video_notes",
                        "can_send_voice_notes",
                        "can_send_polls",
                        "can_send_other_messages",
                        "can_add_web_page_previews")
                .stream()
                .collect(Collectors.toMap(k -> k, k -> allowed, (a, b) -> a, LinkedHashMap::new));
    }

    static String name(JsonNode user) {
        String u = user.path("username").asText("");
        if (!u.isEmpty()) {
            return "@" + u;
        }
        String n = (user.path("first_name").asText("") + " "
                        + user.path("last_name").asText(""))
                .strip();
        return n.isEmpty() ? Long.toString(user.path("id").asLong()) : n;
    }

    private static String cut(String s, int max) {
        return s.length() <= max ? s : s.substring(0, max) + "…";
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        running.set(false);
        if (poller != null) {
            poller.interrupt();
            try {
                poller.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
