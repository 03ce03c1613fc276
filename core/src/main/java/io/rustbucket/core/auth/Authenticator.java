package io.rustbucket.core.auth;

import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.SameSite;
import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.http.ProblemCode;
import java.util.Optional;
import java.util.Set;

/**
 * Finds who is calling: {@code Authorization: Bearer rbt_...} first, then the session cookie. For a session,
 * every state-changing request must carry the CSRF token twice (cookie and {@code X-CSRF-TOKEN} header) and it
 * must match the session's own; bearer calls need no CSRF token because browsers never attach them by themselves.
 */
public final class Authenticator {
    public static final String SESSION_COOKIE = "rb_session";
    public static final String CSRF_COOKIE = "rb_csrf";
    public static final String CSRF_HEADER = "X-CSRF-TOKEN";
    private static final String ATTRIBUTE = "rustbucket.principal";
    private static final Set<String> SAFE_METHODS = Set.of("GET", "HEAD", "OPTIONS");

    private final Sessions sessions;
    private final ApiTokens tokens;
    private final AuthConfig config;

    public Authenticator(Sessions sessions, ApiTokens tokens, AuthConfig config) {
        this.sessions = sessions;
        this.tokens = tokens;
        this.config = config;
    }

    /**
     * Identifies the caller, or empty for an anonymous request.
     *
     * @throws ApiException 401 for a bad bearer token, 403 for a session request without a valid CSRF token
     */
    public Optional<Principal> identify(Context ctx) {
        Principal cached = ctx.attribute(ATTRIBUTE);
        if (cached != null) {
            return Optional.of(cached);
        }
        String authorization = ctx.header("Authorization");
        Principal principal = null;
        if (authorization != null && !authorization.isBlank()) {
            String token = authorization.regionMatches(true, 0, "Bearer ", 0, 7)
                    ? authorization.substring(7).trim()
                    : "";
            principal = tokens.resolve(token)
                    .orElseThrow(() -> new ApiException(ProblemCode.UNAUTHENTICATED, "invalid or expired API token"));
        } else {
            Optional<Sessions.Active> active = sessions.resolve(ctx.cookie(SESSION_COOKIE));
            if (active.isEmpty()) {
                return Optional.empty();
            }
            if (!SAFE_METHODS.contains(ctx.method().name())) {
                checkCsrf(ctx, active.get().csrfHash());
            }
            principal =
                    Principal.session(active.get().user(), active.get().info().id());
        }
        ctx.attribute(ATTRIBUTE, principal);
        return Optional.of(principal);
    }

    /** Requires a signed-in caller. */
    public Principal require(Context ctx) {
        return identify(ctx)
                .orElseThrow(() -> new ApiException(ProblemCode.UNAUTHENTICATED, "sign in or send an API token"));
    }

    /** Requires a caller with at least a role. */
    public Principal require(Context ctx, Role role) {
        Principal p = require(ctx);
        if (!p.has(role)) {
            throw ApiException.forbidden("this needs the " + role.id() + " role");
        }
        return p;
    }

    /** Sets the session and CSRF cookies of a freshly issued or rotated session. */
    public void setCookies(Context ctx, Sessions.Issued issued) {
        int maxAge = (int) config.sessionAbsolute().toSeconds();
        ctx.cookie(cookie(SESSION_COOKIE, issued.token(), maxAge, true));
        ctx.cookie(cookie(CSRF_COOKIE, issued.csrfToken(), maxAge, false));
    }

    public void clearCookies(Context ctx) {
        ctx.cookie(cookie(SESSION_COOKIE, "", 0, true));
        ctx.cookie(cookie(CSRF_COOKIE, "", 0, false));
    }

    private Cookie cookie(String name, String value, int maxAge, boolean httpOnly) {
        Cookie c = new Cookie(name, value);
        c.setPath("/");
        c.setMaxAge(maxAge);
        c.setHttpOnly(httpOnly);
        c.setSecure(config.secureCookies());
        c.setSameSite(SameSite.LAX);
        return c;
    }

    private static void checkCsrf(Context ctx, String sessionCsrfHash) {
        String header = ctx.header(CSRF_HEADER);
        String cookie = ctx.cookie(CSRF_COOKIE);
        boolean ok = header != null
                && SecretTokens.equal(header, cookie)
                && SecretTokens.equal(SecretTokens.hash(header), sessionCsrfHash);
        if (!ok) {
            throw new ApiException(ProblemCode.CSRF, "missing or invalid " + CSRF_HEADER + " header");
        }
    }
}
