package io.rustbucket.console;

import io.javalin.http.Context;
import io.rustbucket.core.auth.Authenticator;
import io.rustbucket.core.auth.Principal;
import io.rustbucket.core.auth.Role;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;

/**
 * Who may see a page. Not signed in: off to the sign-in page (and back afterwards). A password that must be
 * changed: the change page first. Too small a role: a 403 page saying which role is needed.
 */
final class PageGuard {
    /** Ends a request with a redirect. */
    static final class Redirect extends RuntimeException {
        final String location;

        Redirect(String location) {
            super(location, null, false, false);
            this.location = location;
        }
    }

    /** Ends a request with an error page (not allowed, not found, a bad filter) that says what is wrong. */
    static final class Problem extends RuntimeException {
        final int status;

        Problem(int status, String message) {
            super(message, null, false, false);
            this.status = status;
        }

        static Problem notFound(String what) {
            return new Problem(404, "There is no " + what + ".");
        }

        static Problem invalid(String message) {
            return new Problem(400, message);
        }
    }

    private final Authenticator auth;
    private final List<Page.NavItem> nav;

    PageGuard(Authenticator auth, List<Page.NavItem> nav) {
        this.auth = auth;
        this.nav = nav;
    }

    /** The page model for a signed-in user with at least {@code role}. */
    Page require(Context ctx, Role role, String title, String section) {
        Principal p = signedIn(ctx).orElseThrow(() -> new Redirect("/login?next=" + next(ctx)));
        if (p.user().mustChangePassword() && !ctx.path().equals("/account/password")) {
            throw new Redirect("/account/password");
        }
        if (!p.has(role)) {
            throw new Problem(403, "This page needs the " + role.id() + " role; ask an admin for it.");
        }
        return page(p, title, section);
    }

    Page page(Principal p, String title, String section) {
        List<Page.NavItem> visible = p == null
                ? List.of()
                : nav.stream().filter(i -> p.has(i.role())).toList();
        return new Page(title, section, p == null ? null : p.user(), visible);
    }

    /** The browser session's principal; API tokens do not open pages. */
    Optional<Principal> signedIn(Context ctx) {
        if (ctx.header("Authorization") != null) {
            return Optional.empty();
        }
        return auth.identify(ctx).filter(p -> p.sessionId().isPresent());
    }

    private static String next(Context ctx) {
        String target = ctx.path() + (ctx.queryString() == null ? "" : "?" + ctx.queryString());
        return URLEncoder.encode(target, StandardCharsets.UTF_8);
    }
}
