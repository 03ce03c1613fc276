package io.rustbucket.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rustbucket.assistant.Assistant;
import io.rustbucket.assistant.ConversationRole;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.auth.User;
import io.rustbucket.core.http.ApiException;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.llm.UsageLedger;
import io.rustbucket.core.runtime.CoreServices;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The assistant's chat page. The server renders the conversation list and the frame of a conversation; the
 * threads, the tree, the composer and the live stream are driven by {@code chat.js} over the assistant's own API
 * and SSE stream, so the page and every other client see exactly the same thing.
 */
final class ChatPages {
    private final Assistant assistant;
    private final CoreServices core;
    private final Views views;
    private final PageGuard guard;

    ChatPages(Assistant assistant, CoreServices core, Views views, PageGuard guard) {
        this.assistant = assistant;
        this.core = core;
        this.views = views;
        this.guard = guard;
    }

    void register(RoutesConfig r) {
        r.get("/chat", this::list);
        r.get("/chat/{cid}", this::conversation);
    }

    private void list(Context ctx) {
        Page page = guard.require(ctx, Role.VIEWER, "Chat", "chat");
        Map<String, Object> m = new HashMap<>();
        m.put("conversations", assistant.conversations().listFor(page.user().id()));
        m.put("models", core.llm().models());
        m.put("defaultModel", core.llm().defaultModel());
        var mine = UsageLedger.total(
                core.usage().lastDays(SettingsPages.USAGE_DAYS, page.user().id()));
        m.put("myUsage", mine);
        m.put("usageDays", SettingsPages.USAGE_DAYS);
        views.render(ctx, "chat.jte", page, m);
    }

    private void conversation(Context ctx) {
        Page page = guard.require(ctx, Role.VIEWER, "Chat", "chat");
        String cid = ctx.pathParam("cid");
        ConversationRole role;
        try {
            role = assistant.conversations().require(cid, page.user().id(), ConversationRole.VIEWER);
        } catch (ApiException e) {
            throw PageGuard.Problem.notFound("conversation " + cid);
        }
        var conversation = assistant.conversations().find(cid).orElseThrow();
        // Names for the ids the API returns; the page never has to ask who is who.
        Map<String, String> names = new LinkedHashMap<>();
        var participants = assistant.conversations().participants(cid);
        for (var p : participants) {
            names.put(
                    p.userId(),
                    core.accounts().find(p.userId()).map(User::username).orElse(p.userId()));
        }
        Map<String, Object> m = new HashMap<>();
        m.put("conversation", conversation);
        m.put("role", role.id());
        m.put("participants", participants);
        m.put("names", names);
        m.put("namesJson", Json.write(names));
        m.put("model", conversation.model() == null ? core.llm().defaultModel() : conversation.model());
        m.put("models", core.llm().models());
        views.render(ctx, "chat-conversation.jte", new Page(conversation.title(), "chat", page.user(), page.nav()), m);
    }
}
