package io.rustbucket.core.llm;

/** Receives generated text as it streams, on the call's own thread; must not block for long. */
@FunctionalInterface
public interface TokenListener {
    void onToken(String text);
}
