package io.rustbucket.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rustbucket.core.auth.Accounts;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.auth.Sessions;
import io.rustbucket.core.auth.User;
import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.runtime.CoreServices;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;

/**
 * Sign-in (a plain form, so it works before any script loads), the forced password change, and the first-run
 * notice that says where the generated admin password is. Sign-out and the password change itself go through the
 * account API, which checks the session's CSRF token.
 */
final class SignInPages {
    private final CoreServices core;
    private final java.util.List<String> providers;
    private final Views views;
    private final PageGuard guard;

    SignInPages(CoreServices core, java.util.List<String> providers, Views views, PageGuard guard) {
        this.core = core;
        this.providers = providers;
        this.views = views;
        this.guard = guard;
    }

    void register(RoutesConfig r) {
        r.get("/login", this::form);
        r.post("/login", this::signIn);
        r.get(
                "/account/password",
                ctx -> views.render(
                        ctx, "password.jte", guard.require(ctx, Role.VIEWER, "Change password", "account"), Map.of()));
    }

    private void form(Context ctx) {
        String next = io.rustbucket.core.http.QueryParams.localPath(ctx.queryParam("next"));
        if (guard.signedIn(ctx).isPresent()) {
            ctx.redirect(next);
            return;
        }
        String oauthError = ctx.queryParam("oauth_error");
        render(ctx, next, "", oauthError == null ? "" : "Sign-in failed: " + oauthError);
    }

    private void signIn(Context ctx) {
        String account = ctx.formParam("account");
        String next = io.rustbucket.core.http.QueryParams.localPath(ctx.formParam("next"));
        try {
            Sessions.Issued issued =
                    core.signIn().signIn(account, ctx.formParam("password"), ctx.ip(), ctx.userAgent());
            core.authenticator().setCookies(ctx, issued);
            User user = core.accounts().find(issued.info().userId()).orElseThrow();
            core.audit().record(user.username(), "auth.login", user.id(), "console, ip " + ctx.ip());
            ctx.redirect(user.mustChangePassword() ? "/account/password" : next, io.javalin.http.HttpStatus.SEE_OTHER);
        } catch (ApiException e) {
            // The form again with the reason; only the attempt limit changes the status (scripts can back off).
            if (e.retryAfter() != null) {
                ctx.status(429);
                ctx.header(
                        "Retry-After", Long.toString(Math.max(1, e.retryAfter().toSeconds())));
            }
            render(ctx, next, account == null ? "" : account, e.getMessage());
        }
    }

    private void render(Context ctx, String next, String account, String error) {
        Map<String, Object> m = new HashMap<>();
        m.put("next", next);
        m.put("account", account);
        m.put("error", error);
        m.put("firstRun", firstRunNotice());
        m.put("providers", providers);
        views.render(ctx, "login.jte", guard.page(null, "Sign in", "login"), m);
    }

    /** While the generated admin password is unchanged, the sign-in page says where to find it. */
    private String firstRunNotice() {
        var file = core.dataDir().resolve(Accounts.INITIAL_PASSWORD_FILE);
        boolean pending = core.accounts()
                .findByLogin("admin")
                .map(User::mustChangePassword)
                .orElse(false);
        return pending && Files.exists(file) ? file.toAbsolutePath().toString() : "";
    }
}
