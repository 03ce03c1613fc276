package io.rustbucket.core.llm;

/** The text a model produced, why it stopped, and what it cost. A cancelled or timed-out call keeps its text so far. */
public record LlmResult(String model, String text, FinishReason finishReason, LlmUsage usage) {}
