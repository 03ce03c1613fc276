package io.rustbucket.alerts;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rustbucket.alerts.incident.Alert;
import io.rustbucket.alerts.spam.GroupSettings;
import io.rustbucket.alerts.spam.SpamFilter;
import io.rustbucket.alerts.spam.SpamMessage;
import io.rustbucket.core.auth.AuditLog;
import io.rustbucket.core.auth.Authenticator;
import io.rustbucket.core.auth.Principal;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.http.ProblemCode;
import io.rustbucket.core.http.QueryParams;
import io.rustbucket.core.http.RequestBodies;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** HTTP of the alerts system: incidents, notices, the spam check API, spam log and group settings. */
final class AlertRoutes implements io.rustbucket.core.http.ApiServer.Routes {
    static final long MAX_BODY_BYTES = 64 * 1024;
    static final Set<String> STATUSES = Set.of("open", "acknowledged", "resolved", "active");

    record CheckRequest(String text, String group, String userId, String userName, Boolean media) {}

    record SampleRequest(String text, String label) {}

    record FeedbackRequest(String label) {}

    private final Alerts alerts;
    private final Authenticator auth;
    private final AuditLog audit;

    AlertRoutes(Alerts alerts, Authenticator auth, AuditLog audit) {
        this.alerts = alerts;
        this.auth = auth;
        this.audit = audit;
    }

    @Override
    public void register(RoutesConfig r) {
        r.get("/api/alerts", ctx -> {
            auth.require(ctx, Role.VIEWER);
            String status = ctx.queryParam("status");
            if (status != null && !STATUSES.contains(status)) {
                throw ApiException.validation("status must be one of " + STATUSES);
            }
            ctx.json(Map.of("alerts", alerts.book().list(status, ctx.queryParam("kind"), limit(ctx, 100))));
        });
        r.get("/api/alerts/status", ctx -> {
            auth.require(ctx, Role.VIEWER);
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("monitors", alerts.monitorNames());
            out.put("monitor_errors", alerts.monitorErrors());
            out.put("channels", alerts.deliveries().channels());
            out.put("deliveries", alerts.deliveries().counts());
            out.put("spam_samples", alerts.spam().samples());
            alerts.bot().ifPresent(b -> out.put("telegram_bot", Map.of("updates_handled", b.handled())));
            out.put(
                    "captured_mail",
                    Map.of(
                            "judged",
                            alerts.capturedMail().judged(),
                            "dropped",
                            alerts.capturedMail().dropped()));
            ctx.json(out);
        });
        r.post("/api/telegram/webhook", this::webhook);
        r.post("/api/telegram/link-code", ctx -> {
            Principal p = auth.require(ctx, Role.VIEWER);
            var code = alerts.links().create(p.user().username());
            audit.record(p.user().username(), "telegram.link_code", "", "");
            ctx.status(201)
                    .json(Map.of(
                            "code",
                            code.code(),
                            "expires_at",
                            code.expiresAt(),
                            "next",
                            "send /start " + code.code() + " to the bot in a private chat, then /link in your group"));
        });
        r.post("/api/alerts/check", ctx -> {
            auth.require(ctx, Role.ADMIN);
            ctx.json(Map.of("changes", alerts.checkNow()));
        });
        r.get("/api/alerts/{id}", ctx -> {
            auth.require(ctx, Role.VIEWER);
            Alert a = found(ctx.pathParam("id"));
            ctx.json(Map.of("alert", a, "deliveries", alerts.deliveries().forAlert(a.id())));
        });
        r.post("/api/alerts/{id}/acknowledge", ctx -> {
            Principal p = auth.require(ctx, Role.ANALYST);
            found(ctx.pathParam("id"));
            Alert a = alerts.book()
                    .acknowledge(ctx.pathParam("id"), p.user().username())
                    .orElseThrow();
            audit.record(p.user().username(), "alerts.acknowledged", a.id(), a.title());
            ctx.json(a);
        });
        r.post("/api/alerts/{id}/resolve", ctx -> {
            Principal p = auth.require(ctx, Role.ANALYST);
            Alert before = found(ctx.pathParam("id"));
            alerts.book().resolveByHand(before.id(), p.user().username()).ifPresent(alerts::announce);
            audit.record(p.user().username(), "alerts.resolved", before.id(), before.title());
            ctx.json(found(before.id()));
        });

        r.post("/api/spam/check", this::check);
        r.post("/api/spam/samples", ctx -> {
            Principal p = auth.require(ctx, Role.ANALYST);
            SampleRequest req = RequestBodies.json(ctx, MAX_BODY_BYTES, SampleRequest.class);
            boolean spam = label(req.label());
            try {
                alerts.spam().addSample(req.text(), spam, "api:" + p.user().username());
            } catch (IllegalArgumentException e) {
                throw ApiException.validation(e.getMessage());
            }
            ctx.status(201)
                    .json(Map.of(
                            "label",
                            spam ? "spam" : "ham",
                            "samples",
                            alerts.spam().samples()));
        });
        r.get("/api/spam/log", ctx -> {
            auth.require(ctx, Role.VIEWER);
            boolean spamOnly = "true".equalsIgnoreCase(ctx.queryParam("spam"));
            ctx.json(Map.of("verdicts", alerts.spam().log().list(ctx.queryParam("group"), spamOnly, limit(ctx, 100))));
        });
        r.post("/api/spam/log/{id}/feedback", ctx -> {
            Principal p = auth.require(ctx, Role.ANALYST);
            FeedbackRequest req = RequestBodies.json(ctx, MAX_BODY_BYTES, FeedbackRequest.class);
            boolean spam = label(req.label());
            if (!alerts.spam().feedback(ctx.pathParam("id"), spam, p.user().username())) {
                throw new ApiException(ProblemCode.NOT_FOUND, "no verdict " + ctx.pathParam("id"));
            }
            audit.record(p.user().username(), "spam.feedback", ctx.pathParam("id"), spam ? "spam" : "ham");
            ctx.json(alerts.spam().log().find(ctx.pathParam("id")).orElseThrow());
        });
        r.get("/api/spam/groups", ctx -> {
            auth.require(ctx, Role.VIEWER);
            ctx.json(Map.of("groups", alerts.spam().groups().list()));
        });
        r.get("/api/spam/groups/{id}", ctx -> {
            auth.require(ctx, Role.VIEWER);
            String id = ctx.pathParam("id");
            ctx.json(alerts.spam()
                    .groups()
                    .find(id)
                    .map(g -> (Object) g)
                    .orElse(Map.of("id", id, "settings", GroupSettings.defaults(), "configured", false)));
        });
        r.put("/api/spam/groups/{id}", ctx -> {
            Principal p = auth.require(ctx, Role.ADMIN);
            GroupSettings s;
            try {
                s = RequestBodies.json(ctx, MAX_BODY_BYTES, GroupSettings.class);
                ctx.json(alerts.spam().groups().save(ctx.pathParam("id"), s, null));
            } catch (IllegalArgumentException e) {
                throw ApiException.validation(e.getMessage());
            }
            audit.record(p.user().username(), "spam.group_saved", ctx.pathParam("id"), "");
        });
    }

    /** Telegram's webhook: only with the configured secret header, and only when the bot runs with a webhook. */
    private void webhook(Context ctx) {
        var tg = alerts.config().telegram();
        if (alerts.bot().isEmpty() || tg.webhookUrl().isEmpty()) {
            throw ApiException.notFound("telegram webhook");
        }
        String secret = ctx.header("X-Telegram-Bot-Api-Secret-Token");
        if (secret == null || !io.rustbucket.core.auth.SecretTokens.equal(secret, tg.webhookSecret())) {
            throw new ApiException(ProblemCode.UNAUTHENTICATED, "missing or wrong X-Telegram-Bot-Api-Secret-Token");
        }
        com.fasterxml.jackson.databind.JsonNode update =
                RequestBodies.json(ctx, 1024 * 1024, com.fasterxml.jackson.databind.JsonNode.class);
        alerts.bot().get().handle(update);
        ctx.json(Map.of("ok", true));
    }

    private void check(Context ctx) {
        auth.require(ctx, Role.VIEWER);
        CheckRequest req = RequestBodies.json(ctx, MAX_BODY_BYTES, CheckRequest.class);
        if (req.text() == null || req.text().length() > SpamFilter.MAX_SAMPLE_CHARS) {
            throw ApiException.validation("text is required, at most " + SpamFilter.MAX_SAMPLE_CHARS + " characters");
        }
        SpamFilter.Judged j = alerts.spam()
                .check(
                        new SpamMessage(
                                req.group(),
                                req.userId(),
                                req.userName(),
                                req.text(),
                                req.media() != null && req.media(),
                                false),
                        null);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("spam", j.verdict().spam());
        out.put("score", j.verdict().score());
        out.put("checks", j.verdict().checks());
        out.put("action", j.verdict().action());
        out.put("strict", j.verdict().strict());
        out.put("id", j.id());
        ctx.json(out);
    }

    private Alert found(String id) {
        return alerts.book().find(id).orElseThrow(() -> new ApiException(ProblemCode.NOT_FOUND, "no alert " + id));
    }

    private static boolean label(String label) {
        if ("spam".equals(label)) {
            return true;
        }
        if ("ham".equals(label)) {
            return false;
        }
        throw ApiException.validation("label must be \"spam\" or \"ham\"");
    }

    private static int limit(Context ctx, int dflt) {
        return QueryParams.limit(ctx, dflt, 1000);
    }
}
