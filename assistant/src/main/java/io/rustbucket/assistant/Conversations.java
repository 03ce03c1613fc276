package io.rustbucket.assistant;

import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.http.ProblemCode;
import io.rustbucket.core.sql.Database;
import io.rustbucket.core.sql.Rows;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Conversations and who is in them. Every rule about membership lives here: only members see a conversation,
 * owners and admins manage participants, and a conversation never loses its last owner.
 */
public final class Conversations {
    public static final int MAX_TITLE_CHARS = 200;

    public record Conversation(
            String id,
            String title,
            boolean isGroup,
            String model,
            String createdBy,
            Instant createdAt,
            Instant updatedAt) {}

    public record Participant(String userId, ConversationRole role, Instant joinedAt) {}

    private final Database db;
    private final Clock clock;

    public Conversations(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    public Conversation create(String userId, String title, boolean isGroup, String model) {
        String t = title == null || title.isBlank() ? "New conversation" : title.strip();
        if (t.length() > MAX_TITLE_CHARS) {
            throw ApiException.validation("title is at most " + MAX_TITLE_CHARS + " characters");
        }
        Instant now = clock.instant();
        String id = UUID.randomUUID().toString();
        db.inTransaction(h -> {
            h.createUpdate("INSERT INTO asst_conversations (id, title, is_group, model, created_by, created_at, "
                            + "updated_at) VALUES (:id, :t, :g, :m, :u, :now, :now)")
                    .bind("id", id)
                    .bind("t", t)
                    .bind("g", isGroup)
                    .bind("m", model)
                    .bind("u", userId)
                    .bind("now", now)
                    .execute();
            h.createUpdate("INSERT INTO asst_participants (conversation_id, user_id, role, joined_at) "
                            + "VALUES (:c, :u, 'owner', :now)")
                    .bind("c", id)
                    .bind("u", userId)
                    .bind("now", now)
                    .execute();
            return null;
        });
        return new Conversation(id, t, isGroup, model, userId, now, now);
    }

    /** The user's conversations, most recently active first. */
    public List<Conversation> listFor(String userId) {
        return db.withHandle(h -> h.createQuery("SELECT c.* FROM asst_conversations c JOIN asst_participants p "
                        + "ON p.conversation_id = c.id WHERE p.user_id = :u ORDER BY c.updated_at DESC, c.id")
                .bind("u", userId)
                .setMaxRows(500)
                .map((rs, ctx) -> row(rs))
                .list());
    }

    public Optional<Conversation> find(String id) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM asst_conversations WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findOne());
    }

    public Optional<ConversationRole> roleOf(String conversationId, String userId) {
        return db.withHandle(
                h -> h.createQuery("SELECT role FROM asst_participants WHERE conversation_id = :c AND user_id = :u")
                        .bind("c", conversationId)
                        .bind("u", userId)
                        .map((rs, ctx) -> ConversationRole.parse(rs.getString(1)))
                        .findOne());
    }

    /**
     * The caller's role, at least {@code needed}.
     *
     * @throws ApiException 404 for a non-member (a conversation's existence is not revealed), 403 for too small
     *     a role
     */
    public ConversationRole require(String conversationId, String userId, ConversationRole needed) {
        ConversationRole role = roleOf(conversationId, userId)
                .orElseThrow(() -> ApiException.notFound("conversation " + conversationId));
        if (!role.atLeast(needed)) {
            throw ApiException.forbidden("this needs the " + needed.id() + " role in the conversation");
        }
        return role;
    }

    public List<Participant> participants(String conversationId) {
        return db.withHandle(h -> h.createQuery("SELECT user_id, role, joined_at FROM asst_participants "
                        + "WHERE conversation_id = :c ORDER BY joined_at, user_id")
                .bind("c", conversationId)
                .map((rs, ctx) -> new Participant(
                        rs.getString(1), ConversationRole.parse(rs.getString(2)), Rows.instant(rs, "joined_at")))
                .list());
    }

    /**
     * Adds a participant or changes their role (owners and admins; only an owner makes owners).
     *
     * @return true when the user was added, false when only the role changed
     */
    public boolean setParticipant(String actorId, String conversationId, String userId, ConversationRole role) {
        ConversationRole actor = require(conversationId, actorId, ConversationRole.ADMIN);
        if (role == ConversationRole.OWNER && actor != ConversationRole.OWNER) {
            throw ApiException.forbidden("only an owner can make another owner");
        }
        return db.inTransaction(h -> {
            Optional<String> current = h.createQuery(
                            "SELECT role FROM asst_participants WHERE conversation_id = :c AND user_id = :u")
                    .bind("c", conversationId)
                    .bind("u", userId)
                    .mapTo(String.class)
                    .findOne();
            if (current.isPresent()) {
                if ("owner".equals(current.get()) && role != ConversationRole.OWNER) {
                    requireAnotherOwner(h, conversationId, userId);
                }
                h.createUpdate("UPDATE asst_participants SET role = :r WHERE conversation_id = :c AND user_id = :u")
                        .bind("r", role.id())
                        .bind("c", conversationId)
                        .bind("u", userId)
                        .execute();
                return false;
            }
            h.createUpdate("INSERT INTO asst_participants (conversation_id, user_id, role, joined_at) "
                            + "VALUES (:c, :u, :r, :now)")
                    .bind("c", conversationId)
                    .bind("u", userId)
                    .bind("r", role.id())
                    .bind("now", clock.instant())
                    .execute();
            return true;
        });
    }

    /** Removes a participant (owners and admins, or anyone leaving); never the last owner. */
    public void removeParticipant(String actorId, String conversationId, String userId) {
        if (!actorId.equals(userId)) {
            require(conversationId, actorId, ConversationRole.ADMIN);
        } else {
            require(conversationId, actorId, ConversationRole.VIEWER);
        }
        db.inTransaction(h -> {
            Optional<String> current = h.createQuery(
                            "SELECT role FROM asst_participants WHERE conversation_id = :c AND user_id = :u")
                    .bind("c", conversationId)
                    .bind("u", userId)
                    .mapTo(String.class)
                    .findOne();
            if (current.isEmpty()) {
                throw ApiException.notFound("participant " + userId);
            }
            if ("owner".equals(current.get())) {
                requireAnotherOwner(h, conversationId, userId);
            }
            h.createUpdate("DELETE FROM asst_participants WHERE conversation_id = :c AND user_id = :u")
                    .bind("c", conversationId)
                    .bind("u", userId)
                    .execute();
            return null;
        });
    }

    /**
     * Renames a conversation or changes its model (owners and admins). A null field is left as it is; a blank model
     * means the platform's default. The caller checks that the model exists.
     */
    public Conversation update(String actorId, String conversationId, String title, String model) {
        require(conversationId, actorId, ConversationRole.ADMIN);
        String t = title == null ? null : title.strip();
        if (t != null && (t.isEmpty() || t.length() > MAX_TITLE_CHARS)) {
            throw ApiException.validation("title must be 1.." + MAX_TITLE_CHARS + " characters");
        }
        String m = model == null || model.isBlank() ? null : model.strip();
        String set = (t == null ? "" : "title = :t, ") + (model == null ? "" : "model = :m, ") + "updated_at = :now";
        db.useHandle(h -> h.createUpdate("UPDATE asst_conversations SET " + set + " WHERE id = :c")
                .bind("t", t)
                .bind("m", m)
                .bind("now", clock.instant())
                .bind("c", conversationId)
                .execute());
        return find(conversationId).orElseThrow(() -> ApiException.notFound("conversation " + conversationId));
    }

    /**
     * Deletes a conversation and everything in it: messages, reply chunks, read marks, invites, participants. No
     * check here and idempotent: {@link Assistant#delete} checks the owner, stops the running replies (or their next
     * chunk would outlive it) and sweeps twice.
     */
    void purge(String conversationId) {
        db.inTransaction(h -> {
            h.createUpdate("DELETE FROM asst_chunks WHERE message_id IN"
                            + " (SELECT id FROM asst_messages WHERE conversation_id = :c)")
                    .bind("c", conversationId)
                    .execute();
            h.createUpdate("DELETE FROM asst_reads WHERE root_id IN"
                            + " (SELECT id FROM asst_messages WHERE conversation_id = :c AND parent_id IS NULL)")
                    .bind("c", conversationId)
                    .execute();
            for (String table : List.of("asst_messages", "asst_invites", "asst_participants")) {
                h.createUpdate("DELETE FROM " + table + " WHERE conversation_id = :c")
                        .bind("c", conversationId)
                        .execute();
            }
            h.createUpdate("DELETE FROM asst_conversations WHERE id = :c")
                    .bind("c", conversationId)
                    .execute();
            return null;
        });
    }

    /** Marks activity so the list shows busy conversations first. */
    public void touch(String conversationId) {
        db.useHandle(h -> h.createUpdate("UPDATE asst_conversations SET updated_at = :now WHERE id = :c")
                .bind("now", clock.instant())
                .bind("c", conversationId)
                .execute());
    }

    private static Conversation row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Conversation(
                rs.getString("id"),
                rs.getString("title"),
                rs.getBoolean("is_group"),
                rs.getString("model"),
                rs.getString("created_by"),
                Rows.instant(rs, "created_at"),
                Rows.instant(rs, "updated_at"));
    }

    private static void requireAnotherOwner(org.jdbi.v3.core.Handle h, String conversationId, String userId) {
        long others = h.createQuery("SELECT COUNT(*) FROM asst_participants WHERE conversation_id = :c "
                        + "AND role = 'owner' AND user_id <> :u")
                .bind("c", conversationId)
                .bind("u", userId)
                .mapTo(Long.class)
                .one();
        if (others == 0) {
            throw new ApiException(ProblemCode.CONFLICT, "a conversation keeps at least one owner");
        }
    }
}
