package io.rustbucket.core.auth;

import java.util.Optional;

/**
 * Who is making a request and how they proved it: a browser session (cookie + CSRF) or a bearer API token
 * with a scope. The effective role of a token is capped by its scope.
 */
public record Principal(
        User user, Method method, Optional<Scope> scope, Optional<String> sessionId, Optional<String> tokenId) {
    public enum Method {
        SESSION,
        TOKEN
    }

    public static Principal session(User user, String sessionId) {
        return new Principal(user, Method.SESSION, Optional.empty(), Optional.of(sessionId), Optional.empty());
    }

    public static Principal token(User user, Scope scope, String tokenId) {
        return new Principal(user, Method.TOKEN, Optional.of(scope), Optional.empty(), Optional.of(tokenId));
    }

    /** Tells whether this principal may act with the powers of {@code required}. */
    public boolean has(Role required) {
        if (scope.isEmpty() || scope.get() == Scope.ADMIN) {
            return user.has(required);
        }
        // A read token acts as a viewer at most; an ingest token has no console or API role at all.
        return scope.get() == Scope.READ && required == Role.VIEWER && user.has(Role.VIEWER);
    }

    /** Tells whether this principal may send events to the ingest API. */
    public boolean mayIngest() {
        if (scope.isPresent()) {
            return scope.get() == Scope.INGEST || (scope.get() == Scope.ADMIN && user.has(Role.ANALYST));
        }
        return user.has(Role.ANALYST);
    }
}
