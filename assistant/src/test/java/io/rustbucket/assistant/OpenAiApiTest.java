package io.rustbucket.assistant;

import static org.assertj.core.api.Assertions.assertThat;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionContentPart;
import com.openai.models.chat.completions.ChatCompletionContentPartText;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import io.rustbucket.core.auth.Scope;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The OpenAI-compatible API, used through the official OpenAI Java client. */
class OpenAiApiTest {
    AssistantFixture f;
    OpenAIClient openai;

    @BeforeEach
    void start() throws Exception {
        f = new AssistantFixture();
        openai = OpenAIOkHttpClient.builder()
                .apiKey(f.token("alice", Scope.READ))
                .baseUrl(f.base + "/api/v1")
                .maxRetries(0)
                .build();
    }

    @AfterEach
    void stop() throws Exception {
        openai.close();
        f.close();
    }

    @Test
    void modelsAndCompletionsWorkWithTheOfficialClient() {
        assertThat(openai.models().list().data()).extracting(m -> m.id()).contains("fake", "offline");

        f.answer(List.of("Port ", "23 ", "is telnet."));
        ChatCompletion c = openai.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("fake")
                        .addSystemMessage("Be brief.")
                        .addUserMessage("What runs on port 23?")
                        .build());
        assertThat(c.choices().getFirst().message().content()).contains("Port 23 is telnet.");
        assertThat(c.choices().getFirst().finishReason().asString()).isEqualTo("stop");
        assertThat(c.usage())
                .hasValueSatisfying(u -> assertThat(u.completionTokens()).isEqualTo(3));
        var sent = f.model.received().getLast().json();
        assertThat(sent.path("messages").get(0).path("role").asText()).isEqualTo("system");

        f.answer(List.of("one ", "two ", "three"));
        StringBuilder streamed = new StringBuilder();
        try (var s = openai.chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model("fake")
                        .addUserMessage("count")
                        .build())) {
            s.stream()
                    .forEach(chunk ->
                            chunk.choices().forEach(ch -> ch.delta().content().ifPresent(streamed::append)));
        }
        assertThat(streamed.toString()).isEqualTo("one two three");
    }

    @Test
    void contentPartsTheNewerTokenLimitAndStreamedUsageAsToolsSendThem() throws Exception {
        f.answer(List.of("two ", "parts"));
        StringBuilder streamed = new StringBuilder();
        List<Long> usage = new java.util.ArrayList<>();
        try (var s = openai.chat()
                .completions()
                .createStreaming(ChatCompletionCreateParams.builder()
                        .model("fake")
                        .addUserMessageOfArrayOfContentParts(List.of(
                                ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder()
                                        .text("first part")
                                        .build()),
                                ChatCompletionContentPart.ofText(ChatCompletionContentPartText.builder()
                                        .text("second part")
                                        .build())))
                        .maxCompletionTokens(33)
                        .streamOptions(ChatCompletionStreamOptions.builder()
                                .includeUsage(true)
                                .build())
                        .build())) {
            s.stream().forEach(chunk -> {
                chunk.choices().forEach(ch -> ch.delta().content().ifPresent(streamed::append));
                chunk.usage().ifPresent(u -> usage.add(u.completionTokens()));
            });
        }
        assertThat(streamed.toString()).isEqualTo("two parts");
        assertThat(usage).as("one last chunk carries the usage").containsExactly(2L);
        var sent = f.model.received().getLast().json();
        assertThat(sent.path("messages").get(0).path("content").asText()).isEqualTo("first part\nsecond part");
        assertThat(sent.path("max_tokens").asInt()).isEqualTo(33);

        String key = "Bearer " + f.token("alice", Scope.READ);
        var image = f.send(
                key,
                "POST",
                "/api/v1/chat/completions",
                "{\"model\":\"fake\",\"messages\":[{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":\"what is\"},"
                        + "{\"type\":\"image_url\",\"image_url\":{\"url\":\"data:image/png;base64,AAAA\"}}]}]}");
        assertThat(image.statusCode()).isEqualTo(400);
        assertThat(image.body()).contains("only text content parts are supported (got 'image_url')");
        var many = f.send(
                key,
                "POST",
                "/api/v1/chat/completions",
                "{\"model\":\"fake\",\"n\":2,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(many.statusCode()).isEqualTo(400);
        assertThat(f.model.received()).as("neither reached the model").hasSize(1);
    }

    @Test
    void usageIsAccountedToTheUserWhoseKeyOrMessageMadeTheCall() throws Exception {
        f.answer(List.of("Port ", "23 ", "is telnet."));
        openai.chat()
                .completions()
                .create(ChatCompletionCreateParams.builder()
                        .model("fake")
                        .addUserMessage("What runs on port 23?")
                        .build());
        f.answer(List.of("a ", "reply"));
        String cid = f.conversation("alice", "usage");
        f.json("alice", "POST", "/api/threads/" + cid + "/root", "{\"content\":\"hello\"}", 201);
        for (int i = 0; i < 200 && f.assistant.replies().running() > 0; i++) {
            Thread.sleep(20);
        }
        assertThat(f.assistant.replies().running()).isZero();

        var mine = f.json("alice", "GET", "/api/usage?days=1", null, 200);
        assertThat(mine.path("rows")).hasSize(2);
        assertThat(mine.path("rows").findValuesAsText("caller")).containsExactly("assistant", "openai-api");
        assertThat(mine.path("rows").findValuesAsText("user_id")).containsOnly(f.id("alice"));
        assertThat(mine.path("rows").findValuesAsText("username")).containsOnly("alice");
        assertThat(mine.path("rows").get(0).path("output_tokens").asLong()).isEqualTo(2);
        assertThat(mine.path("rows").get(1).path("input_tokens").asLong()).isEqualTo(12);
        assertThat(mine.path("totals").path("calls").asLong()).isEqualTo(2);
        assertThat(mine.path("totals").path("output_tokens").asLong()).isEqualTo(5);

        assertThat(f.json("bob", "GET", "/api/usage", null, 200).path("rows")).isEmpty();
        assertThat(f.send("bob", "GET", "/api/usage?user=all", null).statusCode())
                .isEqualTo(403);
        assertThat(f.send("bob", "GET", "/api/usage?user=" + f.id("alice"), null)
                        .statusCode())
                .isEqualTo(403);
        assertThat(f.send("bob", "GET", "/api/usage?days=367", null).statusCode())
                .isEqualTo(400);
        var admin = f.core.accounts()
                .create(
                        "boss",
                        null,
                        null,
                        "boss-pass-1234",
                        java.util.Set.of(io.rustbucket.core.auth.Role.ADMIN),
                        false);
        String readOnly =
                "Bearer " + f.core.tokens().create(admin, "r", Scope.READ, null).token();
        assertThat(f.send(readOnly, "GET", "/api/usage?user=all", null).statusCode())
                .isEqualTo(403);
        String key = "Bearer "
                + f.core.tokens().create(admin, "t", Scope.ADMIN, null).token();
        assertThat(f.json(key, "GET", "/api/usage?user=all", null, 200).path("rows"))
                .hasSize(2);
        assertThat(f.json(key, "GET", "/api/usage?user=" + f.id("alice"), null, 200)
                        .path("totals")
                        .path("calls")
                        .asLong())
                .isEqualTo(2);
    }

    @Test
    void onlyReadOrAdminApiKeysAreAccepted() throws Exception {
        String body = "{\"model\":\"offline\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
        assertThat(f.send("alice", "POST", "/api/v1/chat/completions", body).statusCode())
                .isEqualTo(401);
        var ops = f.core.accounts()
                .create(
                        "ops",
                        null,
                        null,
                        "ops-pass-1234",
                        java.util.Set.of(io.rustbucket.core.auth.Role.ADMIN),
                        false);
        String ingest =
                f.core.tokens().create(ops, "shipper", Scope.INGEST, null).token();
        assertThat(f.send("Bearer " + ingest, "POST", "/api/v1/chat/completions", body)
                        .statusCode())
                .isEqualTo(403);
        assertThat(f.send("Bearer rbt_not-a-token", "GET", "/api/v1/models", null)
                        .statusCode())
                .isEqualTo(401);
        var unknown = f.send(
                "Bearer " + f.token("alice", Scope.READ),
                "POST",
                "/api/v1/chat/completions",
                "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        // Streaming on the wire: bare data frames, the last one [DONE].
        var raw = f.send(
                "Bearer " + f.token("alice", Scope.READ),
                "POST",
                "/api/v1/chat/completions",
                "{\"model\":\"offline\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(raw.headers().firstValue("Content-Type"))
                .hasValueSatisfying(v -> assertThat(v).startsWith("text/event-stream"));
        assertThat(raw.body()).startsWith("data: {").doesNotContain("event:").endsWith("data: [DONE]\n\n");
    }
}
