package io.rustbucket.core.llm;

import java.time.Duration;

/**
 * What one call cost.
 *
 * @param estimated true when the provider reported no token counts and they were estimated (4 characters each)
 * @param firstToken time from the request to the first token; null when no token arrived
 */
public record LlmUsage(int inputTokens, int outputTokens, Duration latency, Duration firstToken, boolean estimated) {
    public int totalTokens() {
        return inputTokens + outputTokens;
    }
}
