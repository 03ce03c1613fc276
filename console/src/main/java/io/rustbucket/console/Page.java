package io.rustbucket.console;

import io.rustbucket.core.auth.Role;
import io.rustbucket.core.auth.User;
import java.util.List;

/**
 * What the layout needs for every page: its title, which section of the navigation it belongs to, who is signed
 * in (null on the sign-in page) and the navigation that user may see.
 */
public record Page(String title, String section, User user, List<NavItem> nav) {
    /** One entry of the main navigation. */
    public record NavItem(String path, String label, String section, Role role) {}

    public boolean may(Role role) {
        return user != null && user.has(role);
    }

    public boolean isAdmin() {
        return may(Role.ADMIN);
    }

    public boolean isAnalyst() {
        return may(Role.ANALYST);
    }
}
