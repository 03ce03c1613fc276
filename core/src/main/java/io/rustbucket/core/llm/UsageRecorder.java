package io.rustbucket.core.llm;

/** Where the gateway reports each finished model call; called on the call's thread, so it must not block long. */
@FunctionalInterface
public interface UsageRecorder {
    UsageRecorder NONE = (caller, model, failed, inputTokens, outputTokens) -> {};

    /**
     * @param caller the caller as the gateway was given it ({@code sensor}, {@code assistant:<user id>}, ...)
     * @param failed the call ended in an error (its tokens are then 0: what a failed call consumed is unknown)
     */
    void record(String caller, String model, boolean failed, int inputTokens, int outputTokens);
}
