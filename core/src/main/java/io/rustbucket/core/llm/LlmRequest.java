package io.rustbucket.core.llm;

import java.time.Duration;
import java.util.List;

/**
 * What to ask a model. Null limits fall back to the model's configured defaults.
 *
 * @param timeout deadline for the whole call, first byte to last token; null = the model's timeout
 */
public record LlmRequest(List<LlmMessage> messages, Integer maxTokens, Double temperature, Duration timeout) {
    public LlmRequest {
        messages = List.copyOf(messages);
        if (messages.isEmpty()) {
            throw new IllegalArgumentException("a request needs at least one message");
        }
    }

    public static LlmRequest of(List<LlmMessage> messages) {
        return new LlmRequest(messages, null, null, null);
    }

    public LlmRequest withTimeout(Duration t) {
        return new LlmRequest(messages, maxTokens, temperature, t);
    }
}
