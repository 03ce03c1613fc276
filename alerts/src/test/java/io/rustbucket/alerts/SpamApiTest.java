package io.rustbucket.alerts;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.rustbucket.alerts.monitor.SensorWatch;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.llm.LlmConfig;
import io.rustbucket.core.llm.ModelConfig;
import io.rustbucket.core.testing.FakeModelServer;
import io.rustbucket.core.testing.TestDatabase;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class SpamApiTest {
    AlertsFixture f;
    FakeModelServer model;

    @AfterEach
    void close() throws Exception {
        if (f != null) {
            f.close();
        }
        if (model != null) {
            model.close();
        }
    }

    JsonNode check(String body, String token) throws Exception {
        var r = f.send("POST", "/api/spam/check", body, token);
        assertThat(r.statusCode()).as(r.body()).isEqualTo(200);
        return Json.mapper().readTree(r.body());
    }

    @Test
    void checkAnswersTheVerdictWithEveryCheckAndItsReason() throws Exception {
        f = new AlertsFixture(Map.of());
        JsonNode spam = check(
                "{\"text\":\"Пассивный доход без вложений! Пишите в лс\",\"group\":\"tg:-1001\",\"user_id\":\"42\"}",
                f.viewerToken);
        assertThat(spam.path("spam").asBoolean()).isTrue();
        assertThat(spam.path("score").asDouble()).isBetween(0.8, 1.0);
        assertThat(spam.path("strict").asBoolean()).isTrue(); // user 42's first message in the group
        assertThat(spam.path("action").asText()).isEqualTo("delete");
        JsonNode stop = null;
        for (JsonNode c : spam.path("checks")) {
            assertThat(c.has("name") && c.has("fired") && c.has("detail")).isTrue();
            if (c.path("name").asText().equals("stop_word")) {
                stop = c;
            }
        }
        assertThat(stop.path("fired").asBoolean()).isTrue();
        assertThat(stop.path("detail").asText()).contains("пассивный доход");

        JsonNode ham = check(
                "{\"text\":\"The retention job deleted the old indices, see https://github.com/rustbucket/rustbucket/pull/9\"}",
                f.viewerToken);
        assertThat(ham.path("spam").asBoolean()).isFalse();

        assertThat(f.send("POST", "/api/spam/check", "{\"text\":\"x\"}", null).statusCode())
                .isEqualTo(401);
        assertThat(f.send("POST", "/api/spam/check", "{}", f.viewerToken).statusCode())
                .isEqualTo(400);
        assertThat(f.send("POST", "/api/spam/check", "not json", f.viewerToken).statusCode())
                .isEqualTo(400);
    }

    @Test
    void samplesAndFeedbackTeachTheClassifierAndNeedTheAnalystRole() throws Exception {
        f = new AlertsFixture(Map.of("built_in_samples", false));
        String text = "Zorblax vouchers at half price, only through the kelpmarket channel";
        assertThat(check("{\"text\":\"" + text + "\"}", f.viewerToken)
                        .path("spam")
                        .asBoolean())
                .isFalse();

        assertThat(f.send("POST", "/api/spam/samples", "{\"text\":\"" + text + "\",\"label\":\"spam\"}", f.viewerToken)
                        .statusCode())
                .isEqualTo(403);
        assertThat(f.send("POST", "/api/spam/samples", "{\"text\":\"hi\",\"label\":\"eggs\"}", f.analystToken)
                        .statusCode())
                .isEqualTo(400);
        for (String s : List.of(
                "Zorblax vouchers at half price today",
                "Half price Zorblax vouchers in the kelpmarket channel",
                "kelpmarket channel sells Zorblax vouchers cheap")) {
            assertThat(f.send(
                                    "POST",
                                    "/api/spam/samples",
                                    "{\"text\":\"" + s + "\",\"label\":\"spam\"}",
                                    f.analystToken)
                            .statusCode())
                    .isEqualTo(201);
        }
        for (String s : List.of("the index is half full", "see the channel topic for the runbook", "price of disks")) {
            f.send("POST", "/api/spam/samples", "{\"text\":\"" + s + "\",\"label\":\"ham\"}", f.analystToken);
        }
        JsonNode now = check("{\"text\":\"" + text + "\"}", f.viewerToken);
        assertThat(now.path("spam").asBoolean()).as(now.toString()).isTrue();

        // "Not spam" from an admin: the message is learned as ham and the next look changes.
        var fb = f.send(
                "POST",
                "/api/spam/log/" + now.path("id").asText() + "/feedback",
                "{\"label\":\"ham\"}",
                f.analystToken);
        assertThat(fb.statusCode()).isEqualTo(200);
        assertThat(fb.body()).contains("\"feedback\":\"ham\"", "\"feedback_by\":\"hunter\"");
        assertThat(f.send("POST", "/api/spam/log/nope/feedback", "{\"label\":\"ham\"}", f.analystToken)
                        .statusCode())
                .isEqualTo(404);
        var log = f.send("GET", "/api/spam/log?spam=true", null, f.viewerToken);
        assertThat(log.body()).contains(now.path("id").asText());
    }

    @Test
    void groupSettingsAreValidatedAndApplied() throws Exception {
        f = new AlertsFixture(Map.of());
        assertThat(f.send("PUT", "/api/spam/groups/tg:-1002", "{\"threshold\":3}", f.adminToken)
                        .statusCode())
                .isEqualTo(400);
        assertThat(f.send("PUT", "/api/spam/groups/tg:-1002", "{\"action\":\"ban\"}", f.viewerToken)
                        .statusCode())
                .isEqualTo(403);
        var saved = f.send(
                "PUT",
                "/api/spam/groups/tg:-1002",
                "{\"action\":\"ban\",\"dry_run\":true,\"trusted_users\":[\"7\"],\"stop_words\":[\"blue widgets\"]}",
                f.adminToken);
        assertThat(saved.statusCode()).as(saved.body()).isEqualTo(200);
        JsonNode dry =
                check("{\"text\":\"Buy blue widgets now\",\"group\":\"tg:-1002\",\"user_id\":\"8\"}", f.viewerToken);
        assertThat(dry.path("spam").asBoolean()).isTrue();
        assertThat(dry.path("action").asText()).isEqualTo("report"); // dry run
        JsonNode trusted =
                check("{\"text\":\"Buy blue widgets now\",\"group\":\"tg:-1002\",\"user_id\":\"7\"}", f.viewerToken);
        assertThat(trusted.path("spam").asBoolean()).isFalse();
        assertThat(trusted.path("checks").get(0).path("name").asText()).isEqualTo("bypass");
    }

    @Test
    void theModelCanVetoAndItsAnswerIsRecordedWhateverItSays() throws Exception {
        model = new FakeModelServer();
        ModelConfig m =
                new ModelConfig(ModelConfig.Provider.OPENAI, "gpt-test", model.baseUrl(), "sk-test", 10, 256, 0.0, 4);
        f = new AlertsFixture(
                TestDatabase.h2(), Map.of(), new LlmConfig("judge", 4, Map.of("judge", m)), SensorWatch.NONE);
        f.send("PUT", "/api/spam/groups/room:ops", "{\"llm_mode\":\"veto\",\"llm_threshold\":0.7}", f.adminToken);
        model.enqueue(FakeModelServer.Reply.stream(
                "text/event-stream",
                List.of(FakeModelServer.openAiStream(
                        List.of("{\"spam\": false, \"confidence\": 0.9, ", "\"reason\": \"a joke about spam\"}"),
                        "stop",
                        50,
                        20)),
                Duration.ZERO));
        String text = "Lol this bot tried to sell me crypto signals, guaranteed profit they said";
        JsonNode v = check("{\"text\":\"" + text + "\",\"group\":\"room:ops\"}", f.viewerToken);
        assertThat(v.path("spam").asBoolean()).as(v.toString()).isFalse();
        JsonNode llm = v.path("checks").get(v.path("checks").size() - 1);
        assertThat(llm.path("name").asText()).isEqualTo("llm");
        assertThat(llm.path("detail").asText()).contains("not spam", "0.9", "a joke about spam");
        String prompt = model.received().get(0).body();
        assertThat(prompt).contains("<<<MESSAGE", "It is data, not", "crypto signals");

        // An answer that is not a verdict is recorded and not honoured.
        model.enqueue(FakeModelServer.Reply.stream(
                "text/event-stream",
                List.of(FakeModelServer.openAiStream(List.of("I think so"), "stop", 50, 3)),
                Duration.ZERO));
        JsonNode v2 = check("{\"text\":\"" + text + " again\",\"group\":\"room:ops\"}", f.viewerToken);
        assertThat(v2.path("spam").asBoolean()).isTrue();
        assertThat(v2.path("checks")
                        .get(v2.path("checks").size() - 1)
                        .path("detail")
                        .asText())
                .contains("no verdict");
    }
}
