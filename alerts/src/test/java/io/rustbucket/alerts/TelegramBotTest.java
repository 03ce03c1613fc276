package io.rustbucket.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import io.rustbucket.alerts.spam.GroupSettings;
import io.rustbucket.alerts.spam.SpamAction;
import io.rustbucket.alerts.spam.SpamLog;
import io.rustbucket.alerts.telegram.TelegramBot;
import io.rustbucket.core.json.Json;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The group bot against a fake Bot API on loopback: long polling, actions, reports, buttons, links, 429s. */
class TelegramBotTest {
    static final long GROUP = -100123;
    static final long ADMIN_CHAT = -900;
    static final long ADMIN = 1;
    static final String SPAM = "Earn $500 a day from home!!! Passive income, DM me now 💰💰💰💰💰💰 http://bit.ly/xyz";
    static final String HAM = "Thanks, the patch fixed the crash on my box.";

    FakeBotApi telegram;
    AlertsFixture f;
    TelegramBot bot;

    @BeforeEach
    void start() throws Exception {
        telegram = new FakeBotApi();
        telegram.admins.put(GROUP, List.of(ADMIN));
        f = new AlertsFixture(Map.of(
                "telegram",
                Map.of(
                        "bot_token",
                        FakeBotApi.TOKEN,
                        "api_url",
                        telegram.url(),
                        "group_bot",
                        true,
                        "poll_timeout_secs",
                        1,
                        "webhook_url",
                        "https://platform.test/api/telegram/webhook",
                        "webhook_secret",
                        "s3cret-s3cret-s3cret")));
        bot = f.alerts.bot().orElseThrow();
    }

    @AfterEach
    void stop() {
        if (f != null) {
            f.close();
        }
        if (telegram != null) {
            telegram.close();
        }
    }

    void settings(String action) {
        f.alerts
                .spam()
                .groups()
                .save(
                        Long.toString(GROUP),
                        Json.mapper()
                                .convertValue(
                                        Map.of("action", action, "admin_chat", Long.toString(ADMIN_CHAT)),
                                        GroupSettings.class),
                        null);
    }

    SpamLog.Entry verdictFor(long userId) {
        return f.alerts.spam().log().list(Long.toString(GROUP), false, 100).stream()
                .filter(e -> Long.toString(userId).equals(e.userId()))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void longPollingDeletesSpamReportsItAndSparesAdminsAndAnonymousAdmins() {
        settings("delete");
        bot.startPolling();
        var spam = telegram.message(GROUP, 500, "promo", SPAM, Map.of());
        telegram.message(GROUP, 501, "friend", HAM, Map.of());
        telegram.message(GROUP, ADMIN, "owner", SPAM, Map.of());
        telegram.message(GROUP, 1087968824L, "GroupAnonymousBot", SPAM, Map.of("sender_chat", Map.of("id", GROUP)));
        long spamId = spam.path("message").path("message_id").asLong();
        await().atMost(Duration.ofSeconds(10))
                .until(() -> f.alerts.spam().log().list(null, false, 100).size() == 4);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> !telegram.calls("sendMessage").isEmpty());

        assertThat(telegram.calls("deleteMessage")).singleElement().satisfies(c -> {
            assertThat(c.params().path("chat_id").asLong()).isEqualTo(GROUP);
            assertThat(c.params().path("message_id").asLong()).isEqualTo(spamId);
        });
        assertThat(verdictFor(500).action()).isEqualTo(SpamAction.DELETE);
        assertThat(verdictFor(500).actionError()).isNull();
        assertThat(verdictFor(501).spam()).isFalse();
        assertThat(verdictFor(ADMIN).spam()).isFalse(); // the owner bypasses every check
        assertThat(verdictFor(1087968824L).spam()).isFalse();
        var report = telegram.calls("sendMessage").getFirst().params();
        assertThat(report.path("chat_id").asText()).isEqualTo(Long.toString(ADMIN_CHAT));
        assertThat(report.path("text").asText()).contains("Spam (delete", "@promo");
        assertThat(report.path("reply_markup")
                        .path("inline_keyboard")
                        .get(0)
                        .get(1)
                        .path("callback_data")
                        .asText())
                .isEqualTo("rb:ban:" + verdictFor(500).id());
        // Offsets confirm handled updates: no update is handled twice.
        assertThat(bot.handled()).isEqualTo(4);
    }

    @Test
    void mediaOnlyPostsOfNewMembersAndCaptionsAreJudged() {
        settings("delete");
        bot.startPolling();
        telegram.message(GROUP, 600, "newbie", null, Map.of("photo", List.of(Map.of("file_id", "x", "width", 1))));
        telegram.message(
                GROUP,
                601,
                "captioned",
                null,
                Map.of("photo", List.of(Map.of("file_id", "y", "width", 1)), "caption", SPAM));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> f.alerts.spam().log().list(null, false, 100).size() == 2);
        assertThat(verdictFor(600).checks())
                .anySatisfy(c -> assertThat(c.name()).isEqualTo("media_only"));
        assertThat(verdictFor(601).spam()).isTrue();
        assertThat(verdictFor(601).text()).isEqualTo(SPAM);
    }

    @Test
    void restrictAndBanActionsAndTheAdminButtonsUndoOrConfirmThem() {
        settings("restrict");
        bot.handle(telegram.message(GROUP, 700, "promo1", SPAM, Map.of()));
        assertThat(telegram.calls("restrictChatMember"))
                .singleElement()
                .satisfies(c -> assertThat(c.params()
                                .path("permissions")
                                .path("can_send_messages")
                                .asBoolean())
                        .isFalse());
        String restricted = verdictFor(700).id();

        // A member presses the button: refused. The admin presses "not spam": lifted and learned.
        bot.handle(telegram.callback(999, "rb:ham:" + restricted));
        assertThat(telegram.calls("answerCallbackQuery")
                        .getLast()
                        .params()
                        .path("text")
                        .asText())
                .contains("Only admins");
        bot.handle(telegram.callback(ADMIN, "rb:ham:" + restricted));
        assertThat(telegram.calls("restrictChatMember")
                        .getLast()
                        .params()
                        .path("permissions")
                        .path("can_send_messages")
                        .asBoolean())
                .isTrue();
        assertThat(verdictFor(700).feedback()).isEqualTo("ham");
        assertThat(verdictFor(700).feedbackBy()).isEqualTo("telegram:@admin1");

        settings("ban");
        bot.handle(telegram.message(GROUP, 701, "promo2", SPAM + " again", Map.of()));
        assertThat(telegram.calls("banChatMember"))
                .singleElement()
                .satisfies(c -> assertThat(c.params().path("user_id").asLong()).isEqualTo(701));
        bot.handle(telegram.callback(ADMIN, "rb:ham:" + verdictFor(701).id()));
        assertThat(telegram.calls("unbanChatMember")).hasSize(1);

        settings("warn");
        bot.handle(telegram.message(GROUP, 702, "promo3", SPAM + " third", Map.of()));
        assertThat(telegram.calls("sendMessage")
                        .getLast()
                        .params()
                        .path("chat_id")
                        .asLong())
                .isEqualTo(ADMIN_CHAT);
        assertThat(telegram.calls("sendMessage").stream()
                        .filter(c -> c.params().path("chat_id").asLong() == GROUP)
                        .toList())
                .singleElement()
                .satisfies(c -> assertThat(c.params().path("text").asText()).contains("⚠️ @promo3"));
    }

    @Test
    void rateLimitedCallsWaitRetryAfterAndSucceed() {
        settings("delete");
        telegram.rateLimited.put("deleteMessage", 1);
        bot.handle(telegram.message(GROUP, 800, "promo", SPAM, Map.of()));
        assertThat(telegram.calls("deleteMessage")).hasSize(2);
        var calls = telegram.calls("deleteMessage");
        assertThat(calls.get(1).nanos() - calls.get(0).nanos())
                .isGreaterThanOrEqualTo(Duration.ofMillis(950).toNanos());
        assertThat(verdictFor(800).actionError()).isNull();

        telegram.rateLimited.put("deleteMessage", 10); // more than the bot retries: recorded, not lost silently
        bot.handle(telegram.message(GROUP, 801, "promo2", SPAM + "!", Map.of()));
        assertThat(verdictFor(801).actionError()).contains("429");
    }

    @Test
    void membersReportWithSlashReportAndLinkedAdminsLinkTheirGroup() throws Exception {
        settings("delete");
        var suspicious = telegram.message(GROUP, 900, "quiet", "hello all, nice group", Map.of());
        bot.handle(suspicious);
        bot.handle(telegram.message(
                GROUP, 901, "member", "/report@rb_test_bot", Map.of("reply_to_message", suspicious.path("message"))));
        var report = telegram.calls("sendMessage").getLast().params();
        assertThat(report.path("chat_id").asText()).isEqualTo(Long.toString(ADMIN_CHAT));
        assertThat(report.path("text").asText()).contains("Reported by @member", "hello all, nice group");
        assertThat(telegram.calls("deleteMessage")).hasSize(1); // the /report command itself

        String code = f.alerts.links().create("hunter").code();
        bot.handle(telegram.message(ADMIN, ADMIN, "boss", "/start " + code, Map.of()));
        assertThat(telegram.calls("sendMessage").getLast().params().path("text").asText())
                .contains("Linked to Rustbucket user hunter");
        bot.handle(telegram.message(ADMIN, ADMIN, "boss", "/start " + code, Map.of())); // used once only
        assertThat(telegram.calls("sendMessage").getLast().params().path("text").asText())
                .contains("unknown, used");
        bot.handle(telegram.message(GROUP, 901, "member", "/link", Map.of()));
        assertThat(telegram.calls("sendMessage").getLast().params().path("text").asText())
                .contains("Only an admin");
        bot.handle(telegram.message(GROUP, ADMIN, "boss", "/link", Map.of()));
        var group = f.alerts.spam().groups().find(Long.toString(GROUP)).orElseThrow();
        assertThat(group.linkedUser()).isEqualTo("hunter");
        assertThat(group.settings().title()).isEqualTo("Test group");
        assertThat(group.settings().action()).isEqualTo(SpamAction.DELETE); // linking keeps the settings
    }

    @Test
    void webhookNeedsTheSecretHeaderAndHandlesTheUpdate() throws Exception {
        settings("delete");
        var update = telegram.message(GROUP, 1000, "promo", SPAM, Map.of());
        String body = Json.write(update);
        var noSecret = f.send("POST", "/api/telegram/webhook", body, null);
        assertThat(noSecret.statusCode()).isEqualTo(401);
        var r = f.client.send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create(f.base + "/api/telegram/webhook"))
                        .header("Content-Type", "application/json")
                        .header("X-Telegram-Bot-Api-Secret-Token", "s3cret-s3cret-s3cret")
                        .POST(java.net.http.HttpRequest.BodyPublishers.ofString(body))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(r.statusCode()).isEqualTo(200);
        assertThat(telegram.calls("deleteMessage")).hasSize(1);

        var link = f.send("POST", "/api/telegram/link-code", "{}", f.analystToken);
        assertThat(link.statusCode()).isEqualTo(201);
        assertThat(Json.mapper().readTree(link.body()).path("code").asText()).startsWith("rb");
    }
}
