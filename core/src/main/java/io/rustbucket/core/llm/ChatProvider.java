package io.rustbucket.core.llm;

import java.io.IOException;
import java.util.function.Consumer;

/**
 * One provider's wire protocol. {@code stream} runs on the call's own thread, hands every piece of text to the
 * sink as it arrives, and must stop promptly when that thread is interrupted (cancel, deadline).
 */
interface ChatProvider {
    /** How a stream ended according to the provider, with the token counts it reported (null = not reported). */
    record Outcome(FinishReason reason, Integer inputTokens, Integer outputTokens) {}

    Outcome stream(ModelConfig model, LlmRequest request, Consumer<String> sink)
            throws IOException, InterruptedException;
}
