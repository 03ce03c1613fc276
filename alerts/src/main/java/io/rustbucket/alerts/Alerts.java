package io.rustbucket.alerts;

import io.rustbucket.alerts.incident.Alert;
import io.rustbucket.alerts.incident.AlertBook;
import io.rustbucket.alerts.incident.Condition;
import io.rustbucket.alerts.monitor.LogLevelMonitor;
import io.rustbucket.alerts.monitor.Monitor;
import io.rustbucket.alerts.monitor.SensorUnseenMonitor;
import io.rustbucket.alerts.monitor.SensorWatch;
import io.rustbucket.alerts.monitor.ServiceHealthMonitor;
import io.rustbucket.alerts.monitor.StorageMonitor;
import io.rustbucket.alerts.notify.Deliveries;
import io.rustbucket.alerts.notify.EmailNotifier;
import io.rustbucket.alerts.notify.Notifier;
import io.rustbucket.alerts.notify.Route;
import io.rustbucket.alerts.notify.TelegramNotifier;
import io.rustbucket.alerts.notify.WebhookNotifier;
import io.rustbucket.alerts.spam.CapturedMail;
import io.rustbucket.alerts.spam.SpamFilter;
import io.rustbucket.alerts.telegram.TelegramApi;
import io.rustbucket.alerts.telegram.TelegramBot;
import io.rustbucket.alerts.telegram.TelegramLinks;
import io.rustbucket.core.http.ApiServer;
import io.rustbucket.core.json.Json;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.logs.LogPlatform;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The alerts system: monitors that open and resolve incidents, the notices they send, and the spam filter. Each
 * monitor runs on the schedule; a monitor that fails is logged and counted and leaves its alerts as they are.
 * Every alert change is also an event in the log index ({@code service.name=alerts}, level INFO so the level
 * monitors never count their own output).
 */
public final class Alerts implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Alerts.class);
    static final Duration DELIVERY_TICK = Duration.ofSeconds(2);

    private final CoreServices core;
    private final AlertsConfig config;
    private final LogPlatform logs;
    private final AlertBook book;
    private final Deliveries deliveries;
    private final SpamFilter spam;
    private final TelegramLinks links;
    private final CapturedMail capturedMail;
    private final java.util.Optional<TelegramBot> bot;
    private final List<Monitor> monitors;
    private final Map<String, String> monitorErrors = new ConcurrentHashMap<>();
    private final ScheduledExecutorService jobs;

    private Alerts(
            CoreServices core,
            AlertsConfig config,
            LogPlatform logs,
            List<Monitor> monitors,
            List<Notifier> notifiers,
            boolean schedule) {
        this.core = core;
        this.config = config;
        this.logs = logs;
        this.book = new AlertBook(core.database(), core.clock());
        this.deliveries = new Deliveries(core.database(), core.clock(), book, notifiers);
        this.spam = new SpamFilter(core.database(), core.clock(), core.llm(), config.builtInSamples());
        this.links = new TelegramLinks(core.database(), core.clock());
        this.capturedMail = new CapturedMail(spam, logs.tail());
        AlertsConfig.TelegramConfig tg = config.telegram();
        this.bot = tg.runsBot()
                ? java.util.Optional.of(new TelegramBot(
                        new TelegramApi(tg.apiUrl(), tg.botToken(), Duration.ofSeconds(tg.timeoutSecs())),
                        spam,
                        links,
                        core.clock(),
                        Duration.ofSeconds(tg.pollTimeoutSecs())))
                : java.util.Optional.empty();
        this.monitors = List.copyOf(monitors);
        this.jobs = Executors.newScheduledThreadPool(
                1, Thread.ofPlatform().daemon().name("alerts").factory());
        if (schedule) {
            bot.ifPresent(b -> {
                if (tg.webhookUrl().isEmpty()) {
                    b.startPolling();
                } else {
                    b.useWebhook(tg.webhookUrl(), tg.webhookSecret());
                }
            });
            jobs.scheduleWithFixedDelay(this::checkQuietly, 5, config.monitors().checkSecs(), TimeUnit.SECONDS);
            jobs.scheduleWithFixedDelay(this::deliverQuietly, 1, DELIVERY_TICK.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * Migrates the alerts tables, builds the monitors and the configured notifiers, and starts the schedule.
     *
     * @param consoleUrl the platform's address for links in notices (the config's {@code console_url} wins)
     */
    public static Alerts start(
            CoreServices core, AlertsConfig config, LogPlatform logs, SensorWatch sensors, String consoleUrl) {
        return open(core, config, logs, sensors, consoleUrl, true);
    }

    /** The same without the schedule: tests and CLI commands drive {@link #checkNow} and {@link #deliverNow}. */
    public static Alerts unscheduled(
            CoreServices core, AlertsConfig config, LogPlatform logs, SensorWatch sensors, String consoleUrl) {
        return open(core, config, logs, sensors, consoleUrl, false);
    }

    private static Alerts open(
            CoreServices core,
            AlertsConfig config,
            LogPlatform logs,
            SensorWatch sensors,
            String consoleUrl,
            boolean schedule) {
        core.database().migrate("alerts");
        String url = config.consoleUrl().isEmpty() ? consoleUrl : config.consoleUrl();
        List<Monitor> monitors = new ArrayList<>();
        monitors.add(new LogLevelMonitor(logs, config.monitors(), core.clock()));
        monitors.add(new StorageMonitor(logs.index(), config.monitors()));
        monitors.add(new SensorUnseenMonitor(sensors, core.clock()));
        monitors.add(new ServiceHealthMonitor(core.readiness(), config.monitors()));
        List<Notifier> notifiers = new ArrayList<>();
        if (config.email().enabled()) {
            notifiers.add(new EmailNotifier(config.email(), url));
        }
        AlertsConfig.TelegramConfig tg = config.telegram();
        if (tg.notifies()) {
            notifiers.add(new TelegramNotifier(
                    new TelegramApi(tg.apiUrl(), tg.botToken(), Duration.ofSeconds(tg.timeoutSecs())),
                    tg.chatIds(),
                    new Route(tg.minSeverity(), tg.kinds(), tg.notifyResolved()),
                    url));
        }
        if (config.webhook().enabled()) {
            notifiers.add(new WebhookNotifier(config.webhook(), core.clock()));
        }
        log.info(
                "alerts: monitors {} every {} s; notifiers {}",
                monitors.stream().map(Monitor::name).toList(),
                config.monitors().checkSecs(),
                notifiers.isEmpty()
                        ? "none configured"
                        : notifiers.stream().map(Notifier::channel).toList());
        return new Alerts(core, config, logs, monitors, notifiers, schedule);
    }

    /** Runs every monitor once; returns the changes (already queued for notice and indexed). */
    public List<Alert.Change> checkNow() {
        List<Alert.Change> all = new ArrayList<>();
        for (Monitor m : monitors) {
            List<Condition> firing;
            try {
                firing = m.check();
                monitorErrors.remove(m.name());
            } catch (RuntimeException e) {
                monitorErrors.put(m.name(), String.valueOf(e.getMessage()));
                log.warn("monitor {} could not look: {}", m.name(), e.getMessage());
                continue;
            }
            all.addAll(book.observe(
                    m.name(), firing, Duration.ofMinutes(config.monitors().cooldownMinutes())));
        }
        all.forEach(this::announce);
        return all;
    }

    /** Sends the notices that are due. */
    public int deliverNow() {
        return deliveries.sendDue();
    }

    /** Queues notices for a change and records it in the log index. */
    public void announce(Alert.Change c) {
        deliveries.enqueue(c);
        Map<String, Object> event = new LinkedHashMap<>();
        event.put("@timestamp", core.clock().instant().toString());
        event.put("service.name", "alerts");
        event.put("log.level", "INFO");
        event.put("message", "alert " + c.event().id() + ": " + c.alert().title());
        event.put(
                "event.id",
                c.alert().id() + ":" + c.event().id() + ":"
                        + c.alert().updatedAt().toEpochMilli());
        event.put("event.action", "alert." + c.event().id());
        event.put("event.kind", "alert");
        event.put(
                "labels",
                Map.of(
                        "alert_id",
                        c.alert().id(),
                        "severity",
                        c.alert().severity().id(),
                        "kind",
                        c.alert().kind()));
        try {
            logs.ingest(Json.write(event).getBytes(StandardCharsets.UTF_8), "application/json");
        } catch (RuntimeException e) {
            log.warn("alert {} not recorded in the log index: {}", c.alert().id(), e.getMessage());
        }
    }

    /** Monitors that failed on their last run, with the reason. */
    public Map<String, String> monitorErrors() {
        return Map.copyOf(monitorErrors);
    }

    public List<String> monitorNames() {
        return monitors.stream().map(Monitor::name).toList();
    }

    public AlertBook book() {
        return book;
    }

    public Deliveries deliveries() {
        return deliveries;
    }

    /** The group bot, when {@code [alerts.telegram] group_bot} is on. */
    public java.util.Optional<TelegramBot> bot() {
        return bot;
    }

    public AlertsConfig config() {
        return config;
    }

    /** The sensor's captured mail as a spam source. */
    public CapturedMail capturedMail() {
        return capturedMail;
    }

    public TelegramLinks links() {
        return links;
    }

    public SpamFilter spam() {
        return spam;
    }

    public ApiServer.Routes routes() {
        return new AlertRoutes(this, core.authenticator(), core.audit());
    }

    private void checkQuietly() {
        try {
            checkNow();
        } catch (RuntimeException e) {
            log.error("alert check failed; next in {} s", config.monitors().checkSecs(), e);
        }
    }

    private void deliverQuietly() {
        try {
            deliverNow();
        } catch (RuntimeException e) {
            log.error("sending alert notices failed; retrying", e);
        }
    }

    @Override
    public void close() {
        bot.ifPresent(TelegramBot::close);
        capturedMail.close();
        jobs.shutdownNow();
        try {
            jobs.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
