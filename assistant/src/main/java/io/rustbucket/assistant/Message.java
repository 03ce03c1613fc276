package io.rustbucket.assistant;

import java.time.Instant;

/**
 * One message of a thread tree. {@code status}: {@code complete}, or {@code streaming} while an assistant reply
 * is generated; {@code finishReason} says how a reply ended. A deleted message keeps its text for restore but is
 * shown empty.
 */
public record Message(
        String id,
        String conversationId,
        String rootId,
        String parentId,
        String authorUserId,
        String role,
        String content,
        String path,
        int depth,
        String status,
        String finishReason,
        String model,
        Instant createdAt,
        Instant updatedAt,
        Instant editedAt,
        Instant deletedAt) {

    public boolean deleted() {
        return deletedAt != null;
    }

    /** The message as clients see it: a deleted one without its text. */
    public Message visible() {
        return deleted()
                ? new Message(
                        id,
                        conversationId,
                        rootId,
                        parentId,
                        authorUserId,
                        role,
                        "",
                        path,
                        depth,
                        status,
                        finishReason,
                        model,
                        createdAt,
                        updatedAt,
                        editedAt,
                        deletedAt)
                : this;
    }
}
