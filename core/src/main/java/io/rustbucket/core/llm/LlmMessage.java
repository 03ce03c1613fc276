package io.rustbucket.core.llm;

/** One message of a conversation sent to a model. */
public record LlmMessage(LlmRole role, String content) {
    public LlmMessage {
        content = content == null ? "" : content;
    }

    public static LlmMessage system(String content) {
        return new LlmMessage(LlmRole.SYSTEM, content);
    }

    public static LlmMessage user(String content) {
        return new LlmMessage(LlmRole.USER, content);
    }

    public static LlmMessage assistant(String content) {
        return new LlmMessage(LlmRole.ASSISTANT, content);
    }
}
