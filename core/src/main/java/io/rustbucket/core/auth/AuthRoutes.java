package io.rustbucket.core.auth;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.http.ApiServer;
import io.rustbucket.core.http.ProblemCode;
import io.rustbucket.core.http.RequestBodies;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The account APIs every system shares: sign-in ({@code /api/auth/*}, as the assistant contract fixes them),
 * API tokens ({@code /api/tokens}) and user administration ({@code /api/users}).
 */
public final class AuthRoutes implements ApiServer.Routes {
    /** Account requests are small; anything bigger is not a sign-in. */
    static final long MAX_BODY_BYTES = 16 * 1024;

    record LoginRequest(String email, String username, String login, String password) {
        String account() {
            return email != null ? email : username != null ? username : login;
        }
    }

    record PasswordChange(String currentPassword, String newPassword) {}

    record TokenRequest(String name, String scope, Integer expiresInDays) {}

    record UserRequest(String username, String email, String displayName, String password, String role) {}

    private final Accounts accounts;
    private final Sessions sessions;
    private final ApiTokens tokens;
    private final SignIn signIn;
    private final Authenticator auth;
    private final AuditLog audit;

    public AuthRoutes(
            Accounts accounts, Sessions sessions, ApiTokens tokens, SignIn signIn, Authenticator auth, AuditLog audit) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.tokens = tokens;
        this.signIn = signIn;
        this.auth = auth;
        this.audit = audit;
    }

    @Override
    public void register(RoutesConfig r) {
        r.post("/api/auth/login", this::login);
        r.post("/api/auth/refresh", this::refresh);
        r.post("/api/auth/logout", this::logout);
        r.get("/api/auth/me", this::me);
        r.post("/api/auth/password", this::changePassword);
        r.get("/api/tokens", this::listTokens);
        r.post("/api/tokens", this::createToken);
        r.delete("/api/tokens/{id}", this::revokeToken);
        r.get("/api/users", this::listUsers);
        r.post("/api/users", this::createUser);
    }

    private void login(Context ctx) {
        LoginRequest req = RequestBodies.json(ctx, MAX_BODY_BYTES, LoginRequest.class);
        if (req.account() == null || req.password() == null) {
            throw ApiException.validation("email (or username) and password are required");
        }
        Sessions.Issued issued = signIn.signIn(req.account(), req.password(), ctx.ip(), ctx.userAgent());
        auth.setCookies(ctx, issued);
        User user = accounts.find(issued.info().userId()).orElseThrow();
        audit.record(user.username(), "auth.login", user.id(), "ip " + ctx.ip());
        ctx.json(sessionBody(user, issued));
    }

    private void refresh(Context ctx) {
        Principal p = requireSession(ctx);
        Sessions.Issued issued = sessions.rotate(p.sessionId().orElseThrow())
                .orElseThrow(() -> new ApiException(ProblemCode.UNAUTHENTICATED, "session ended"));
        auth.setCookies(ctx, issued);
        ctx.json(sessionBody(p.user(), issued));
    }

    private void logout(Context ctx) {
        auth.identify(ctx).flatMap(Principal::sessionId).ifPresent(sessions::end);
        auth.clearCookies(ctx);
        ctx.status(204);
    }

    private void me(Context ctx) {
        Principal p = auth.require(ctx);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", userBody(p.user()));
        body.put("auth", p.method().name().toLowerCase(java.util.Locale.ROOT));
        p.scope().ifPresent(s -> body.put("scope", s.id()));
        p.sessionId().ifPresent(id -> body.put("session", Map.of("id", id)));
        ctx.json(body);
    }

    private void changePassword(Context ctx) {
        Principal p = requireSession(ctx);
        PasswordChange req = RequestBodies.json(ctx, MAX_BODY_BYTES, PasswordChange.class);
        try {
            accounts.changePassword(p.user().id(), req.currentPassword(), req.newPassword());
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(e.getMessage());
        }
        sessions.endOthers(p.user().id(), p.sessionId().orElse(null));
        audit.record(p.user().username(), "auth.password_changed", p.user().id(), "");
        ctx.status(204);
    }

    private void listTokens(Context ctx) {
        Principal p = auth.require(ctx, Role.VIEWER);
        boolean all = "true".equals(ctx.queryParam("all")) && p.has(Role.ADMIN);
        ctx.json(Map.of("tokens", tokens.list(all ? null : p.user().id())));
    }

    private void createToken(Context ctx) {
        Principal p = auth.require(ctx, Role.VIEWER);
        TokenRequest req = RequestBodies.json(ctx, MAX_BODY_BYTES, TokenRequest.class);
        ApiTokens.Issued issued;
        try {
            Scope scope = Scope.parse(req.scope() == null ? "read" : req.scope());
            if (p.scope().isPresent() && p.scope().get() != Scope.ADMIN) {
                throw ApiException.forbidden("only a session or an admin-scoped token can create tokens");
            }
            Integer days = req.expiresInDays();
            if (days != null && (days < 1 || days > 3650)) {
                throw ApiException.validation("expires_in_days must be 1..3650");
            }
            issued = tokens.create(p.user(), req.name(), scope, days == null ? null : Duration.ofDays(days));
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(e.getMessage());
        }
        audit.record(
                p.user().username(),
                "token.created",
                issued.info().id(),
                issued.info().scope().id());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("token", issued.token());
        body.put("id", issued.info().id());
        body.put("name", issued.info().name());
        body.put("scope", issued.info().scope());
        body.put("expires_at", issued.info().expiresAt());
        ctx.status(201).json(body);
    }

    private void revokeToken(Context ctx) {
        Principal p = auth.require(ctx, Role.VIEWER);
        String id = ctx.pathParam("id");
        if (!tokens.revoke(p.has(Role.ADMIN) ? null : p.user().id(), id)) {
            throw ApiException.notFound("token");
        }
        audit.record(p.user().username(), "token.revoked", id, "");
        ctx.status(204);
    }

    private void listUsers(Context ctx) {
        auth.require(ctx, Role.ADMIN);
        List<Map<String, Object>> users =
                accounts.list().stream().map(AuthRoutes::userBody).toList();
        ctx.json(Map.of("users", users));
    }

    private void createUser(Context ctx) {
        Principal p = auth.require(ctx, Role.ADMIN);
        UserRequest req = RequestBodies.json(ctx, MAX_BODY_BYTES, UserRequest.class);
        User created;
        try {
            Role role = Role.parse(req.role() == null ? "viewer" : req.role());
            PasswordHasher.checkLength(req.password());
            created =
                    accounts.create(req.username(), req.email(), req.displayName(), req.password(), Set.of(role), true);
        } catch (IllegalArgumentException e) {
            throw ApiException.validation(e.getMessage());
        } catch (AccountExistsException e) {
            throw new ApiException(ProblemCode.CONFLICT, e.getMessage());
        }
        audit.record(p.user().username(), "user.created", created.id(), created.username());
        ctx.status(201).json(userBody(created));
    }

    private Principal requireSession(Context ctx) {
        Principal p = auth.require(ctx);
        if (p.sessionId().isEmpty()) {
            throw ApiException.forbidden("this needs a browser session, not an API token");
        }
        return p;
    }

    /** The {@code user} object of the contract. */
    public static Map<String, Object> userBody(User u) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", u.id());
        m.put("email", u.email());
        m.put("username", u.username());
        m.put("display_name", u.displayName());
        m.put("roles", u.roles().stream().map(Role::id).sorted().toList());
        m.put("must_change_password", u.mustChangePassword());
        return m;
    }

    private static Map<String, Object> sessionBody(User user, Sessions.Issued issued) {
        Map<String, Object> session = new LinkedHashMap<>();
        session.put("id", issued.info().id());
        session.put("issued_at", issued.info().issuedAt());
        session.put("expires_at", issued.info().expiresAt());
        session.put("absolute_expires_at", issued.info().absoluteExpiresAt());
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("user", userBody(user));
        body.put("session", session);
        body.put("csrf_token", issued.csrfToken());
        return body;
    }
}
