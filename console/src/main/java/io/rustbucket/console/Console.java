package io.rustbucket.console;

import io.javalin.config.RoutesConfig;
import io.rustbucket.alerts.Alerts;
import io.rustbucket.assistant.Assistant;
import io.rustbucket.console.rooms.ChatIdentities;
import io.rustbucket.console.rooms.ChatRooms;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.auth.SecretBox;
import io.rustbucket.core.http.ApiServer;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.logs.LogPlatform;
import io.rustbucket.registry.Registry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The web console: server-rendered pages over whichever systems run in this process. Pages read through each
 * system's service; actions go to the systems' own JSON APIs (role and CSRF checked there), so every rule lives
 * in one place. A section whose system is not running is absent from the navigation.
 */
public final class Console implements ApiServer.Routes, AutoCloseable {
    /** The systems the console can show; absent ones have no pages. */
    public record Systems(
            Optional<Registry> registry,
            Optional<LogPlatform> logs,
            Optional<Alerts> alerts,
            Optional<SensorSettings> sensor,
            Optional<Assistant> assistant) {
        public Systems(Optional<Registry> registry, Optional<LogPlatform> logs, Optional<Alerts> alerts) {
            this(registry, logs, alerts, Optional.empty(), Optional.empty());
        }
    }

    /**
     * The in-process sensor's persona prompts and model budgets, shown on the settings page (they come from its
     * configuration file).
     */
    public record SensorSettings(String name, List<String> persona, Map<String, Object> budgets) {}

    private final CoreServices core;
    private final Systems systems;
    private final Views views = new Views();
    private final PageGuard guard;
    private final ChatIdentities identities;
    private final ChatRooms rooms;
    /** Set when the platform stops: long-lived page streams end so the server can stop gracefully. */
    private final AtomicBoolean stopping = new AtomicBoolean();

    /** Migrates the console's tables; chat keys are sealed under {@code DATA/console/secret.key}. */
    public Console(CoreServices core, Systems systems) {
        this.core = core;
        this.systems = systems;
        this.guard = new PageGuard(core.authenticator(), navigation(systems));
        core.database().migrate("console");
        this.identities = new ChatIdentities(
                core.database(),
                SecretBox.open(core.dataDir().resolve("console").resolve("secret.key")),
                core.clock());
        this.rooms = new ChatRooms(core.store(), identities, core.clock());
    }

    /** Ends the console's open streams (live room views). */
    public void stopStreams() {
        stopping.set(true);
    }

    @Override
    public void close() {
        stopStreams();
        rooms.close();
    }

    /** The main navigation; the assistant's chat page and the rooms slot in here when those systems run. */
    static List<Page.NavItem> navigation(Systems s) {
        List<Page.NavItem> nav = new ArrayList<>();
        nav.add(new Page.NavItem("/", "Overview", "overview", Role.VIEWER));
        if (s.registry().isPresent()) {
            nav.add(new Page.NavItem("/sensors", "Sensors", "sensors", Role.VIEWER));
            nav.add(new Page.NavItem("/sessions", "Sessions", "sessions", Role.VIEWER));
        }
        if (s.logs().isPresent()) {
            nav.add(new Page.NavItem("/logs", "Logs", "logs", Role.VIEWER));
        }
        if (s.registry().isPresent()) {
            nav.add(new Page.NavItem("/analyses", "Analyses", "analyses", Role.VIEWER));
        }
        if (s.assistant().isPresent()) {
            nav.add(new Page.NavItem("/chat", "Chat", "chat", Role.VIEWER));
        }
        nav.add(new Page.NavItem("/rooms", "Rooms", "rooms", Role.VIEWER));
        if (s.alerts().isPresent()) {
            nav.add(new Page.NavItem("/alerts", "Alerts", "alerts", Role.VIEWER));
            nav.add(new Page.NavItem("/spam", "Spam", "spam", Role.VIEWER));
        }
        nav.add(new Page.NavItem("/settings", "Settings", "settings", Role.ADMIN));
        return List.copyOf(nav);
    }

    @Override
    public void register(RoutesConfig r) {
        new Assets().register(r);
        r.exception(PageGuard.Redirect.class, (e, ctx) -> ctx.redirect(e.location));
        r.exception(PageGuard.Problem.class, (e, ctx) -> {
            ctx.status(e.status);
            views.render(
                    ctx,
                    "problem.jte",
                    guard.page(guard.signedIn(ctx).orElse(null), "Error " + e.status, ""),
                    Map.of("message", e.getMessage()));
        });
        new SignInPages(
                        core,
                        systems.assistant().map(Assistant::oauthProviders).orElse(java.util.List.of()),
                        views,
                        guard)
                .register(r);
        new OverviewPages(core, systems, views, guard).register(r);
        systems.registry().ifPresent(reg -> {
            new SensorPages(reg, core.clock(), views, guard).register(r);
            new SessionPages(reg.activity(), systems.logs(), views, guard).register(r);
            new AnalysisPages(reg, views, guard).register(r);
        });
        systems.logs().ifPresent(logs -> new LogPages(logs, views, guard).register(r));
        new SettingsPages(core, systems.sensor(), views, guard).register(r);
        systems.assistant().ifPresent(a -> new ChatPages(a, core, views, guard).register(r));
        new RoomPages(rooms, identities, core.authenticator(), core.audit(), views, guard, core.revocations(), stopping)
                .register(r);
        systems.alerts().ifPresent(alerts -> {
            new AlertPages(alerts, views, guard).register(r);
            new SpamPages(alerts, core.authenticator(), views, guard).register(r);
        });
    }
}
