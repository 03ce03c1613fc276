package io.rustbucket.core.llm;

import java.util.function.Consumer;

/**
 * The built-in model for installs without one: no network, deterministic, and honest — it says that no model
 * is configured and echoes the size of the context, and never pretends to be an AI.
 */
final class OfflineProvider implements ChatProvider {
    @Override
    public Outcome stream(ModelConfig model, LlmRequest request, Consumer<String> sink) {
        int chars =
                request.messages().stream().mapToInt(m -> m.content().length()).sum();
        String text = "No language model is configured (offline mode), so there is no AI answer. "
                + "Received " + request.messages().size() + " message"
                + (request.messages().size() == 1 ? "" : "s")
                + " with " + chars + " characters of context. An administrator can configure a model under [llm].";
        for (String word : text.split("(?<= )")) {
            if (Thread.currentThread().isInterrupted()) {
                break;
            }
            sink.accept(word);
        }
        return new Outcome(FinishReason.STOP, null, null);
    }
}
