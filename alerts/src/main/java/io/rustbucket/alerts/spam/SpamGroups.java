package io.rustbucket.alerts.spam;

import static io.rustbucket.core.sql.Rows.instant;

import io.rustbucket.core.json.Json;
import io.rustbucket.core.sql.Database;
import io.rustbucket.core.sql.DuplicateKeyException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/** Per-group settings, kept as JSON in {@code spam_groups} and cached (every message reads them). */
public final class SpamGroups {
    /** A group as the API lists it. */
    public record Group(String id, GroupSettings settings, String linkedUser, Instant updatedAt) {}

    static final int MAX_ID_CHARS = 128;

    private final Database db;
    private final Clock clock;
    private final Map<String, Optional<GroupSettings>> cache = new ConcurrentHashMap<>();

    public SpamGroups(Database db, Clock clock) {
        this.db = db;
        this.clock = clock;
    }

    /** The group's settings, or the defaults for a group nobody configured. */
    public GroupSettings settings(String groupId) {
        if (groupId == null) {
            return GroupSettings.defaults();
        }
        return cache.computeIfAbsent(groupId, id -> find(id).map(Group::settings))
                .orElseGet(GroupSettings::defaults);
    }

    public Optional<Group> find(String id) {
        return db.withHandle(h -> h.createQuery("SELECT * FROM spam_groups WHERE id = :id")
                .bind("id", id)
                .map((rs, ctx) -> row(rs))
                .findOne());
    }

    public List<Group> list() {
        return db.withHandle(h -> h.createQuery("SELECT * FROM spam_groups ORDER BY id")
                .map((rs, ctx) -> row(rs))
                .list());
    }

    private static Group row(java.sql.ResultSet rs) throws java.sql.SQLException {
        return new Group(
                rs.getString("id"),
                settingsOf(rs.getString("settings")),
                rs.getString("linked_user"),
                instant(rs, "updated_at"));
    }

    private static GroupSettings settingsOf(String json) {
        try {
            return Json.mapper().readValue(json, GroupSettings.class);
        } catch (java.io.IOException | IllegalArgumentException e) {
            // Stored by an older version with a value this one refuses: judge with defaults, say so.
            org.slf4j.LoggerFactory.getLogger(SpamGroups.class)
                    .warn("stored spam settings unreadable ({}); using defaults", e.getMessage());
            return GroupSettings.defaults();
        }
    }

    /** Creates or replaces a group's settings. */
    public Group save(String id, GroupSettings settings, String linkedUser) {
        if (id == null || id.isBlank() || id.length() > MAX_ID_CHARS) {
            throw new IllegalArgumentException("group id must have 1-" + MAX_ID_CHARS + " characters");
        }
        Instant now = clock.instant();
        String json = Json.write(settings);
        int updated = db.withHandle(h -> h.createUpdate(
                        "UPDATE spam_groups SET settings = :s, linked_user = COALESCE(:u, linked_user), updated_at = :at"
                                + " WHERE id = :id")
                .bind("s", json)
                .bind("u", linkedUser)
                .bind("at", now)
                .bind("id", id)
                .execute());
        if (updated == 0) {
            try {
                db.useHandle(h -> h.createUpdate("INSERT INTO spam_groups (id, settings, linked_user, updated_at)"
                                + " VALUES (:id, :s, :u, :at)")
                        .bind("id", id)
                        .bind("s", json)
                        .bind("u", linkedUser)
                        .bind("at", now)
                        .execute());
            } catch (DuplicateKeyException e) {
                return save(id, settings, linkedUser); // created at the same moment by another request
            }
        }
        cache.remove(id);
        return find(id).orElseThrow();
    }
}
