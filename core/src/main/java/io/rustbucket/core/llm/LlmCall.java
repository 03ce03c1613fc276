package io.rustbucket.core.llm;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A running model call. Its result completes normally for {@code stop}, {@code length}, {@code cancelled} and
 * {@code timeout} (with the text so far), and exceptionally with an {@link LlmException} for failures.
 */
public final class LlmCall {
    private final CompletableFuture<LlmResult> result = new CompletableFuture<>();
    private final AtomicReference<FinishReason> stopReason = new AtomicReference<>();
    private volatile Thread worker;

    /** Stops the call; tokens stop at once and the result completes with {@code cancelled}. */
    public void cancel() {
        stop(FinishReason.CANCELLED);
    }

    public CompletableFuture<LlmResult> result() {
        return result;
    }

    void stop(FinishReason reason) {
        if (stopReason.compareAndSet(null, reason)) {
            Thread t = worker;
            if (t != null) {
                t.interrupt(); // unblocks a pending read of the provider's stream
            }
        }
    }

    /** Why the call was stopped from outside (cancel, deadline), or null when it was not. */
    FinishReason stopReason() {
        return stopReason.get();
    }

    void bind(Thread t) {
        worker = t;
        if (stopReason.get() != null) {
            t.interrupt();
        }
    }

    CompletableFuture<LlmResult> future() {
        return result;
    }
}
