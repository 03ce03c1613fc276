package io.rustbucket.bench;

import io.rustbucket.alerts.Alerts;
import io.rustbucket.alerts.AlertsConfig;
import io.rustbucket.alerts.FakeBotApi;
import io.rustbucket.alerts.monitor.SensorWatch;
import io.rustbucket.alerts.spam.GroupSettings;
import io.rustbucket.core.auth.AuthConfig;
import io.rustbucket.core.auth.PasswordHasher;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.llm.LlmConfig;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.core.sql.DatabaseConfig;
import io.rustbucket.core.store.StoreConfig;
import io.rustbucket.logs.LogPlatform;
import io.rustbucket.logs.LogsConfig;
import java.nio.file.Files;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * End-to-end Telegram update -> action latency without the model: the bot long-polls a Bot API double on loopback
 * (the same one the tests use), judges each group message and deletes the spam. Latency is from the moment the
 * update is queued at the double until the double receives {@code deleteMessage}: a poll round trip, the spam
 * check with its database writes, and the action call. Usage: TelegramBotBench [messages] [per second].
 */
public final class TelegramBotBench {
    static final long GROUP = -100777;

    public static void main(String[] args) throws Exception {
        int total = args.length > 0 ? Integer.parseInt(args[0]) : 2000;
        int rate = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        try (FakeBotApi telegram = new FakeBotApi()) {
            telegram.admins.put(GROUP, List.of(1L));
            CoreServices core = CoreServices.open(
                    Files.createTempDirectory("rb-tg-bench"),
                    DatabaseConfig.defaults(),
                    StoreConfig.defaults(),
                    AuthConfig.defaults(),
                    LlmConfig.defaults(),
                    Map.of(),
                    new PasswordHasher(1024, 1),
                    Clock.systemUTC());
            LogPlatform logs = LogPlatform.start(core, LogsConfig.defaults());
            AlertsConfig config = Json.mapper()
                    .convertValue(
                            Map.of(
                                    "telegram",
                                    Map.of(
                                            "bot_token",
                                            FakeBotApi.TOKEN,
                                            "api_url",
                                            telegram.url(),
                                            "group_bot",
                                            true,
                                            "poll_timeout_secs",
                                            10)),
                            AlertsConfig.class);
            Alerts alerts = Alerts.unscheduled(core, config, logs, SensorWatch.NONE, "");
            alerts.spam()
                    .groups()
                    .save(
                            Long.toString(GROUP),
                            Json.mapper().convertValue(Map.of("action", "delete"), GroupSettings.class),
                            null);
            var bot = alerts.bot().orElseThrow();
            bot.startPolling();
            Map<Long, Long> pushedAt = new HashMap<>();
            long gapNanos = 1_000_000_000L / rate;
            long next = System.nanoTime();
            int spam = 0;
            for (int i = 0; i < total; i++) {
                while (System.nanoTime() < next) {
                    Thread.onSpinWait();
                }
                next += gapNanos;
                boolean isSpam = i % 2 == 0;
                String text = isSpam
                        ? "Earn $" + (100 + i)
                                + " a day from home!!! Passive income, DM me 💰💰💰💰💰💰 http://bit.ly/x" + i
                        : "thanks for the fix in build " + i + ", works on my machine now";
                long t = System.nanoTime();
                var u = telegram.message(GROUP, 10_000 + i, "user" + i, text, Map.of());
                if (isSpam) {
                    spam++;
                    if (i >= total / 10) { // the first tenth warms the JVM and the database up, unmeasured
                        pushedAt.put(u.path("message").path("message_id").asLong(), t);
                    }
                }
            }
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (telegram.calls("deleteMessage").size() < spam && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            List<Double> ms = new ArrayList<>();
            for (var c : telegram.calls("deleteMessage")) {
                Long t = pushedAt.get(c.params().path("message_id").asLong());
                if (t != null) {
                    ms.add((c.nanos() - t) / 1e6);
                }
            }
            ms.sort(Double::compare);
            System.out.printf(
                    "telegram update -> deleteMessage, %d measured spam of %d messages at %d/s (after a warm-up tenth): p50 %.1f ms, p99 %.1f ms, "
                            + "max %.1f ms (goal p99 < 100 ms); %d of %d spam deleted; %d updates handled%n",
                    ms.size(),
                    total,
                    rate,
                    ms.get(ms.size() / 2),
                    ms.get((int) Math.ceil(ms.size() * 0.99) - 1),
                    ms.getLast(),
                    telegram.calls("deleteMessage").size(),
                    spam,
                    bot.handled());
            alerts.close();
            logs.close();
            core.close();
        }
    }
}
