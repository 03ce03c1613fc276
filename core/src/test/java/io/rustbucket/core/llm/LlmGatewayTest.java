package io.rustbucket.core.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.rustbucket.core.io.BoundedLineReader;
import io.rustbucket.core.testing.FakeModelServer;
import io.rustbucket.core.testing.FakeModelServer.Reply;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The gateway against fake servers that speak each provider's real streaming format. */
class LlmGatewayTest {
    /** Tokens with multi-byte characters, so split writes cut UTF-8 sequences in half. */
    static final List<String> TOKENS = List.of("Hel", "lo, ", "wörld", " 😀", " 日本", "!");

    enum Wire {
        OPENAI(ModelConfig.Provider.OPENAI, "text/event-stream") {
            byte[] ok(List<String> tokens) {
                return FakeModelServer.openAiStream(tokens, "stop", 11, 7);
            }

            byte[] midStreamError() {
                return "data: {\"error\":{\"message\":\"model overloaded\",\"type\":\"server_error\"}}\n\n"
                        .getBytes(StandardCharsets.UTF_8);
            }

            String path() {
                return "/chat/completions";
            }
        },
        ANTHROPIC(ModelConfig.Provider.ANTHROPIC, "text/event-stream") {
            byte[] ok(List<String> tokens) {
                return FakeModelServer.anthropicStream(tokens, "end_turn", 11, 7);
            }

            byte[] midStreamError() {
                return FakeModelServer.anthropicError("overloaded_error", "Overloaded");
            }

            String path() {
                return "/v1/messages";
            }
        },
        OLLAMA(ModelConfig.Provider.OLLAMA, "application/x-ndjson") {
            byte[] ok(List<String> tokens) {
                return FakeModelServer.ollamaStream(tokens, "stop", 11, 7);
            }

            byte[] midStreamError() {
                return "{\"error\":\"model runner crashed\"}\n".getBytes(StandardCharsets.UTF_8);
            }

            String path() {
                return "/api/chat";
            }
        };

        final ModelConfig.Provider provider;
        final String contentType;

        Wire(ModelConfig.Provider provider, String contentType) {
            this.provider = provider;
            this.contentType = contentType;
        }

        abstract byte[] ok(List<String> tokens);

        abstract byte[] midStreamError();

        abstract String path();

        /** The first half of a good stream: some tokens, no end marker. */
        byte[] firstTokens() {
            return okPrefix(ok(List.of("partial ", "answer")));
        }

        private static byte[] okPrefix(byte[] all) {
            String s = new String(all, StandardCharsets.UTF_8);
            int cut = s.indexOf("answer") + "answer".length();
            int end = s.indexOf('\n', cut);
            return s.substring(0, end + 1).concat(s.startsWith("{") ? "" : "\n").getBytes(StandardCharsets.UTF_8);
        }
    }

    FakeModelServer server;
    LlmGateway gateway;

    @BeforeEach
    void start() throws Exception {
        server = new FakeModelServer();
    }

    @AfterEach
    void stop() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        server.close();
    }

    private LlmGateway gateway(Wire wire, int perCaller) {
        ModelConfig m = new ModelConfig(wire.provider, "test-model", server.baseUrl(), "sk-test", 5, 256, 0.2, 4);
        gateway = new LlmGateway(
                new LlmConfig("m", perCaller, Map.of("m", m)), Map.of(), Clock.systemUTC(), new SimpleMeterRegistry());
        return gateway;
    }

    private static LlmRequest request() {
        return LlmRequest.of(List.of(LlmMessage.system("You are terse."), LlmMessage.user("Say hello")));
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void streamsTokensInOrderWithTheProvidersUsage(Wire wire) throws Exception {
        server.enqueue(Reply.stream(wire.contentType, List.of(wire.ok(TOKENS)), Duration.ZERO));
        List<String> seen = new CopyOnWriteArrayList<>();
        LlmResult r = gateway(wire, 4).stream("test", "m", request(), seen::add)
                .result()
                .get(10, TimeUnit.SECONDS);
        assertThat(seen).containsExactlyElementsOf(TOKENS);
        assertThat(r.text()).isEqualTo(String.join("", TOKENS));
        assertThat(r.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(r.usage().inputTokens()).isEqualTo(11);
        assertThat(r.usage().outputTokens()).isEqualTo(7);
        assertThat(r.usage().estimated()).isFalse();
        assertThat(r.usage().firstToken()).isNotNull();
        assertThat(server.received())
                .singleElement()
                .satisfies(req -> assertThat(req.path()).endsWith(wire.path()));
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void framesSplitAcrossTcpWritesStillParse(Wire wire) throws Exception {
        server.enqueue(Reply.stream(wire.contentType, FakeModelServer.split(wire.ok(TOKENS), 3), Duration.ofMillis(1)));
        LlmResult r = gateway(wire, 4).complete("test", "m", request());
        assertThat(r.text()).isEqualTo(String.join("", TOKENS));
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void rateLimitAnswerCarriesRetryAfter(Wire wire) {
        server.enqueue(Reply.error(429, Map.of("Retry-After", "7"), "{\"error\":{\"message\":\"slow down\"}}"));
        assertThatThrownBy(() -> gateway(wire, 4).complete("test", "m", request()))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.RATE_LIMITED);
                    assertThat(e.retryAfter()).isEqualTo(Duration.ofSeconds(7));
                    assertThat(e.getMessage()).contains("slow down");
                });
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void serverErrorIsAnUpstreamFailureWithItsStatus(Wire wire) {
        server.enqueue(Reply.error(500, Map.of(), "{\"error\":{\"message\":\"boom\"}}"));
        assertThatThrownBy(() -> gateway(wire, 4).complete("test", "m", request()))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.UPSTREAM);
                    assertThat(e.status()).isEqualTo(500);
                });
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void midStreamErrorFailsAndKeepsThePartialText(Wire wire) {
        server.enqueue(Reply.stream(
                wire.contentType, List.of(wire.firstTokens(), wire.midStreamError()), Duration.ofMillis(5)));
        assertThatThrownBy(() -> gateway(wire, 4).complete("test", "m", request()))
                .isInstanceOfSatisfying(LlmException.class, e -> {
                    assertThat(e.kind()).isEqualTo(LlmException.Kind.UPSTREAM);
                    assertThat(e.partialText()).isEqualTo("partial answer");
                });
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void stalledStreamEndsWithTimeoutAtTheDeadline(Wire wire) throws Exception {
        server.enqueue(Reply.stalling(wire.contentType, List.of(wire.firstTokens())));
        long t0 = System.nanoTime();
        LlmResult r = gateway(wire, 4).stream("test", "m", request().withTimeout(Duration.ofMillis(700)), t -> {})
                .result()
                .get(10, TimeUnit.SECONDS);
        long ms = (System.nanoTime() - t0) / 1_000_000;
        assertThat(r.finishReason()).isEqualTo(FinishReason.TIMEOUT);
        assertThat(r.text()).isEqualTo("partial answer");
        assertThat(ms).isBetween(600L, 5000L);
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void streamEndingWithoutItsEndMarkerIsAProtocolError(Wire wire) {
        server.enqueue(Reply.stream(wire.contentType, List.of(wire.firstTokens()), Duration.ZERO));
        assertThatThrownBy(() -> gateway(wire, 4).complete("test", "m", request()))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.PROTOCOL));
    }

    @ParameterizedTest
    @EnumSource(Wire.class)
    void cancelStopsTheStreamAndReportsCancelled(Wire wire) throws Exception {
        server.enqueue(Reply.stalling(wire.contentType, List.of(wire.firstTokens())));
        List<String> seen = new CopyOnWriteArrayList<>();
        LlmCall call = gateway(wire, 4).stream("test", "m", request(), seen::add);
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> String.join("", seen).equals("partial answer"));
        call.cancel();
        LlmResult r = call.result().get(5, TimeUnit.SECONDS);
        assertThat(r.finishReason()).isEqualTo(FinishReason.CANCELLED);
        assertThat(r.text()).isEqualTo("partial answer");
    }

    @Test
    void openAiRequestCarriesKeyMessagesAndUsageOption() throws Exception {
        server.enqueue(Reply.stream("text/event-stream", List.of(Wire.OPENAI.ok(TOKENS)), Duration.ZERO));
        gateway(Wire.OPENAI, 4).complete("test", "m", request());
        var req = server.received().getFirst();
        assertThat(req.headers()).containsEntry("authorization", "Bearer sk-test");
        assertThat(req.json().path("stream").asBoolean()).isTrue();
        assertThat(req.json().path("stream_options").path("include_usage").asBoolean())
                .isTrue();
        assertThat(req.json().path("messages").get(0).path("role").asText()).isEqualTo("system");
        assertThat(req.json().path("max_tokens").asInt()).isEqualTo(256);
    }

    @Test
    void anthropicRequestMovesSystemMessagesToTheSystemField() throws Exception {
        server.enqueue(Reply.stream("text/event-stream", List.of(Wire.ANTHROPIC.ok(TOKENS)), Duration.ZERO));
        gateway(Wire.ANTHROPIC, 4).complete("test", "m", request());
        var req = server.received().getFirst();
        assertThat(req.headers())
                .containsEntry("x-api-key", "sk-test")
                .containsEntry("anthropic-version", "2023-06-01");
        assertThat(req.json().path("system").asText()).isEqualTo("You are terse.");
        assertThat(req.json().path("messages")).hasSize(1);
        assertThat(req.json().path("messages").get(0).path("role").asText()).isEqualTo("user");
    }

    @Test
    void anthropicMaxTokensStopIsLength() throws Exception {
        server.enqueue(Reply.stream(
                "text/event-stream",
                List.of(FakeModelServer.anthropicStream(TOKENS, "max_tokens", 1, 2)),
                Duration.ZERO));
        assertThat(gateway(Wire.ANTHROPIC, 4).complete("test", "m", request()).finishReason())
                .isEqualTo(FinishReason.LENGTH);
    }

    @Test
    void unreachableServerIsUnavailable() throws Exception {
        ModelConfig m =
                new ModelConfig(ModelConfig.Provider.OPENAI, "x", "http://127.0.0.1:1", "k", 5, null, null, null);
        gateway = new LlmGateway(
                new LlmConfig("m", 4, Map.of("m", m)), Map.of(), Clock.systemUTC(), new SimpleMeterRegistry());
        assertThatThrownBy(() -> gateway.complete("test", "m", request()))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.UNAVAILABLE));
    }

    @Test
    void callerOverItsConcurrencyLimitIsBusy() throws Exception {
        server.enqueue(Reply.stalling("text/event-stream", List.of(Wire.OPENAI.firstTokens())));
        LlmGateway g = gateway(Wire.OPENAI, 1);
        LlmCall first = g.stream("sensor", "m", request(), t -> {});
        org.awaitility.Awaitility.await()
                .atMost(Duration.ofSeconds(5))
                .until(() -> server.received().size() == 1);
        LlmCall second = g.stream("sensor", "m", request().withTimeout(Duration.ofMillis(300)), t -> {});
        assertThatThrownBy(() -> second.result().get(5, TimeUnit.SECONDS))
                .isInstanceOf(ExecutionException.class)
                .cause()
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.BUSY));
        // Another caller is not blocked by the sensor's limit.
        server.enqueue(Reply.stream("text/event-stream", List.of(Wire.OPENAI.ok(TOKENS)), Duration.ZERO));
        assertThat(g.complete("analyst", "m", request()).text()).isEqualTo(String.join("", TOKENS));
        first.cancel();
    }

    @Test
    void offlineModelIsDeterministicAndHonest() {
        gateway = new LlmGateway(LlmConfig.defaults(), Map.of(), Clock.systemUTC(), new SimpleMeterRegistry());
        LlmResult a = gateway.complete("test", null, request());
        LlmResult b = gateway.complete("test", "offline", request());
        assertThat(a.text())
                .isEqualTo(b.text())
                .contains("No language model is configured")
                .contains("2 messages");
        assertThat(a.usage().estimated()).isTrue();
        assertThat(gateway.models()).containsExactly("offline");
    }

    @Test
    void environmentKeysAddOpenAiAndClaudeModels() {
        gateway = new LlmGateway(
                LlmConfig.defaults(),
                Map.of("OPENAI_API_KEY", "k", "CLAUDE_API_KEY", "c"),
                Clock.systemUTC(),
                new SimpleMeterRegistry());
        assertThat(gateway.models()).containsExactly("offline", "openai", "claude");
    }

    @Test
    void unknownModelIsRefusedAtOnce() {
        gateway = new LlmGateway(LlmConfig.defaults(), Map.of(), Clock.systemUTC(), new SimpleMeterRegistry());
        assertThatThrownBy(() -> gateway.stream("t", "gpt-9", request(), t -> {}))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.UNKNOWN_MODEL));
    }

    @Test
    void usageIsAccountedPerModel() throws Exception {
        server.enqueue(Reply.stream("text/event-stream", List.of(Wire.OPENAI.ok(TOKENS)), Duration.ZERO));
        server.enqueue(Reply.stream("text/event-stream", List.of(Wire.OPENAI.ok(TOKENS)), Duration.ZERO));
        LlmGateway g = gateway(Wire.OPENAI, 4);
        g.complete("a", "m", request());
        g.complete("b", "m", request());
        assertThat(g.usage()).singleElement().satisfies(u -> {
            assertThat(u.calls()).isEqualTo(2);
            assertThat(u.inputTokens()).isEqualTo(22);
            assertThat(u.outputTokens()).isEqualTo(14);
        });
    }

    @Test
    void sseReaderHandlesCommentsMultilineDataAndCrLf() throws Exception {
        byte[] raw = ": keep-alive\r\nevent: a\r\ndata: one\r\ndata: two\r\n\r\ndata: three\n\n"
                .getBytes(StandardCharsets.UTF_8);
        List<String> got = new ArrayList<>();
        SseReader.read(
                new BoundedLineReader(new java.io.ByteArrayInputStream(raw), 1024), (e, d) -> got.add(e + "=" + d));
        assertThat(got).containsExactly("a=one\ntwo", "message=three");
    }

    @Test
    void overlongStreamLineIsAProtocolErrorNotAnOutOfMemory() throws Exception {
        byte[] line = new byte[ProviderHttp.MAX_LINE_BYTES + 10];
        java.util.Arrays.fill(line, (byte) 'a');
        server.enqueue(Reply.stream("application/x-ndjson", List.of(line), Duration.ZERO));
        assertThatThrownBy(() -> gateway(Wire.OLLAMA, 4).complete("test", "m", request()))
                .isInstanceOfSatisfying(
                        LlmException.class, e -> assertThat(e.kind()).isEqualTo(LlmException.Kind.PROTOCOL));
    }
}
