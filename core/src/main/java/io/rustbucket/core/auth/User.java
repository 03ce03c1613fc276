package io.rustbucket.core.auth;

import java.time.Instant;
import java.util.EnumSet;
import java.util.Set;

/** A platform account as the rest of the code sees it (never with its password hash). */
public record User(
        String id,
        String username,
        String email,
        String displayName,
        Set<Role> roles,
        boolean mustChangePassword,
        boolean disabled,
        Instant createdAt) {
    public User {
        roles = roles.isEmpty() ? Set.of() : Set.copyOf(EnumSet.copyOf(roles));
    }

    /** The most powerful role the user has; VIEWER when none. */
    public Role topRole() {
        return roles.stream().min(Enum::compareTo).orElse(Role.VIEWER);
    }

    public boolean has(Role required) {
        return topRole().includes(required);
    }
}
