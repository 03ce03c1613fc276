package io.rustbucket.assistant.oauth;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.javalin.http.Cookie;
import io.javalin.http.HttpStatus;
import io.javalin.http.SameSite;
import io.rustbucket.core.auth.User;
import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.http.ApiServer;
import io.rustbucket.core.http.QueryParams;
import io.rustbucket.core.runtime.CoreServices;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * The browser side of OAuth sign-in: start (redirect to the provider), callback (GitHub by GET, Apple by
 * {@code form_post}), then the same session cookies as a password sign-in and a redirect to where the user was
 * going. A failure goes back to the sign-in page with the reason.
 */
public final class OAuthRoutes implements ApiServer.Routes {
    static final String STATE_COOKIE = "rb_oauth";

    private final OAuthLogins logins;
    private final CoreServices core;
    private final String publicUrl;

    public OAuthRoutes(OAuthLogins logins, CoreServices core, String publicUrl) {
        this.logins = logins;
        this.core = core;
        this.publicUrl = publicUrl == null ? "" : publicUrl.replaceAll("/+$", "");
    }

    @Override
    public void register(RoutesConfig r) {
        r.get("/api/oauth/github", ctx -> {
            if (!logins.github()) {
                throw ApiException.notFound("GitHub sign-in (not configured)");
            }
            var start = logins.startGitHub(redirectUri(ctx, "github"), QueryParams.localPath(ctx.queryParam("next")));
            // Binds the login to this browser: a callback from another browser (login CSRF) is refused.
            Cookie c = new Cookie(STATE_COOKIE, start.state());
            c.setPath("/api/oauth/github");
            c.setMaxAge((int) OAuthLogins.PENDING_FOR.toSeconds());
            c.setHttpOnly(true);
            c.setSecure("https".equals(ctx.scheme()));
            c.setSameSite(SameSite.LAX);
            ctx.cookie(c);
            ctx.redirect(start.location());
        });
        r.get(
                "/api/oauth/github/callback",
                ctx -> finish(ctx, () -> {
                    providerError(ctx.queryParam("error"), ctx.queryParam("error_description"));
                    return logins.finishGitHub(
                            ctx.queryParam("code"),
                            ctx.queryParam("state"),
                            ctx.cookie(STATE_COOKIE),
                            redirectUri(ctx, "github"));
                }));
        r.get("/api/oauth/apple", ctx -> {
            if (!logins.apple()) {
                throw ApiException.notFound("Apple sign-in (not configured)");
            }
            ctx.redirect(logins.startApple(redirectUri(ctx, "apple"), QueryParams.localPath(ctx.queryParam("next")))
                    .location());
        });
        // Apple posts the answer cross-site, so no cookie comes with it: the state is checked on the server.
        r.post(
                "/api/oauth/apple/callback",
                ctx -> finish(ctx, () -> {
                    providerError(ctx.formParam("error"), null);
                    return logins.finishApple(
                            ctx.formParam("code"),
                            ctx.formParam("state"),
                            ctx.formParam("user"),
                            redirectUri(ctx, "apple"));
                }));
    }

    private interface Finish {
        Map.Entry<User, String> run();
    }

    private void finish(Context ctx, Finish f) {
        try {
            Map.Entry<User, String> done = f.run();
            User user = done.getKey();
            core.authenticator().setCookies(ctx, core.sessions().create(user, ctx.ip(), ctx.userAgent()));
            core.audit().record(user.username(), "auth.login", user.id(), "oauth " + ctx.path() + ", ip " + ctx.ip());
            ctx.redirect(done.getValue(), HttpStatus.SEE_OTHER);
        } catch (OAuthLogins.Failed e) {
            ctx.redirect(
                    "/login?oauth_error=" + URLEncoder.encode(e.getMessage(), StandardCharsets.UTF_8),
                    HttpStatus.SEE_OTHER);
        }
    }

    private static void providerError(String error, String description) {
        if (error != null && !error.isBlank()) {
            throw new OAuthLogins.Failed("the provider said: " + (description == null ? error : description));
        }
    }

    private String redirectUri(Context ctx, String provider) {
        String base = publicUrl.isEmpty() ? ctx.scheme() + "://" + ctx.host() : publicUrl;
        return base + "/api/oauth/" + provider + "/callback";
    }
}
