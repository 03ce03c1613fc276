package io.rustbucket.console;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.rustbucket.core.auth.Role;
import io.rustbucket.core.auth.User;
import io.rustbucket.core.llm.UsageLedger;
import io.rustbucket.core.runtime.CoreServices;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Admin settings: users (create through the account API), API and ingest tokens of every user (create shows the
 * secret once; revoke), and the configured models with their use since start. Model settings come from the
 * configuration file and are shown read-only, API keys never.
 */
final class SettingsPages {
    private final CoreServices core;
    private final java.util.Optional<Console.SensorSettings> sensor;
    private final Views views;
    private final PageGuard guard;

    SettingsPages(CoreServices core, java.util.Optional<Console.SensorSettings> sensor, Views views, PageGuard guard) {
        this.core = core;
        this.sensor = sensor;
        this.views = views;
        this.guard = guard;
    }

    /** The per-user usage table covers this many days, today included. */
    static final int USAGE_DAYS = 30;

    void register(RoutesConfig r) {
        r.get("/settings", this::settings);
    }

    private void settings(Context ctx) {
        Page page = guard.require(ctx, Role.ADMIN, "Settings", "settings");
        var users = core.accounts().list();
        Map<String, String> names = users.stream().collect(Collectors.toMap(User::id, User::username));
        Map<String, Object> m = new HashMap<>();
        m.put("users", users);
        m.put("tokens", core.tokens().list(null));
        m.put("owners", names);
        m.put(
                "models",
                core.llm().models().stream()
                        .collect(Collectors.toMap(
                                Function.identity(),
                                n -> core.llm().model(n).orElseThrow(),
                                (a, b) -> a,
                                java.util.TreeMap::new)));
        m.put("defaultModel", core.llm().defaultModel());
        m.put("usage", core.llm().usage());
        m.put("userUsage", UsageLedger.perUserAndModel(core.usage().lastDays(USAGE_DAYS, null)));
        m.put("usageDays", USAGE_DAYS);
        m.put("now", core.clock().instant());
        m.put("sensor", sensor.orElse(null));
        views.render(ctx, "settings.jte", page, m);
    }
}
