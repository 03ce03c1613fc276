package io.rustbucket.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import io.rustbucket.alerts.incident.Alert;
import io.rustbucket.alerts.incident.Condition;
import io.rustbucket.alerts.incident.Severity;
import io.rustbucket.alerts.monitor.SensorWatch;
import io.rustbucket.alerts.spam.GroupSettings;
import io.rustbucket.alerts.spam.SpamMessage;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.llm.LlmConfig;
import io.rustbucket.core.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The alerts system's SQL on PostgreSQL and MariaDB: incidents, deliveries, spam verdicts and feedback, group
 * settings and Telegram links. Skipped locally without the servers; required in CI.
 */
class AlertsOnServersTest {
    static List<Arguments> servers() {
        return List.of(
                Arguments.of("postgresql", (Supplier<TestDatabase>) TestDatabase::postgres),
                Arguments.of("mariadb", (Supplier<TestDatabase>) TestDatabase::mysql));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("servers")
    void incidentsDeliveriesSpamAndLinks(String name, Supplier<TestDatabase> database) throws Exception {
        try (FakeBotApi telegram = new FakeBotApi();
                AlertsFixture f = new AlertsFixture(
                        database.get(),
                        Map.of(
                                "telegram",
                                Map.of(
                                        "bot_token",
                                        FakeBotApi.TOKEN,
                                        "api_url",
                                        telegram.url(),
                                        "chat_ids",
                                        List.of("-5"))),
                        LlmConfig.defaults(),
                        SensorWatch.NONE)) {
            var book = f.alerts.book();
            Duration cooldown = Duration.ofMinutes(30);
            var opened = book.observe(
                    "storage",
                    List.of(new Condition("storage/disk", "disk", Severity.WARNING, "low", "12 GB free 🦀", 12)),
                    cooldown);
            assertThat(opened).extracting(Alert.Change::event).containsExactly(Alert.Event.OPENED);
            opened.forEach(f.alerts::announce);
            assertThat(f.alerts.deliverNow()).isEqualTo(1);
            assertThat(telegram.calls("sendMessage")).hasSize(1);
            String id = opened.getFirst().alert().id();
            assertThat(f.alerts.deliveries().forAlert(id))
                    .singleElement()
                    .satisfies(d -> assertThat(d.status()).isEqualTo("sent"));
            assertThat(book.acknowledge(id, "hunter"))
                    .hasValueSatisfying(a -> assertThat(a.status()).isEqualTo(Alert.Status.ACKNOWLEDGED));
            assertThat(book.observe("storage", List.of(), cooldown))
                    .extracting(Alert.Change::event)
                    .containsExactly(Alert.Event.RESOLVED);
            assertThat(book.list("resolved", "disk", 10)).hasSize(1);

            var spam = f.alerts.spam();
            spam.groups()
                    .save(
                            "-100",
                            Json.mapper()
                                    .convertValue(
                                            Map.of("title", "Группа 🦀", "trusted_users", List.of("7")),
                                            GroupSettings.class),
                            "hunter");
            var judged = spam.check(
                    new SpamMessage(
                            "-100",
                            "42",
                            "promo",
                            "Пассивный доход без вложений, пишите в лс 💰💰💰💰💰💰",
                            false,
                            false),
                    "m1");
            assertThat(judged.verdict().spam()).isTrue();
            assertThat(spam.check(new SpamMessage("-100", "7", "friend", "Пассивный доход", false, false), "m2")
                            .verdict()
                            .spam())
                    .isFalse(); // a trusted user
            assertThat(spam.feedback(judged.id(), false, "hunter")).isTrue();
            assertThat(spam.log().find(judged.id())).hasValueSatisfying(e -> {
                assertThat(e.feedback()).isEqualTo("ham");
                assertThat(e.text()).contains("Пассивный доход");
            });
            assertThat(spam.groups().list()).singleElement().satisfies(g -> {
                assertThat(g.settings().title()).isEqualTo("Группа 🦀");
                assertThat(g.linkedUser()).isEqualTo("hunter");
            });

            var code = f.alerts.links().create("hunter");
            assertThat(f.alerts.links().redeem(code.code(), "555")).contains("hunter");
            assertThat(f.alerts.links().redeem(code.code(), "556")).isEmpty();
            assertThat(f.alerts.links().userOf("555")).contains("hunter");

            var api = f.send("GET", "/api/alerts?status=resolved", null, f.viewerToken);
            assertThat(api.statusCode()).isEqualTo(200);
            assertThat(Json.mapper().readTree(api.body()).path("alerts")).hasSize(1);
        }
    }
}
