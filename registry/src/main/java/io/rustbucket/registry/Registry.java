package io.rustbucket.registry;

import io.rustbucket.core.auth.SecretBox;
import io.rustbucket.core.health.PartState;
import io.rustbucket.core.http.ApiServer;
import io.rustbucket.core.runtime.CoreServices;
import io.rustbucket.registry.activity.Activity;
import io.rustbucket.registry.analyze.Analyst;
import io.rustbucket.registry.archive.Archive;
import io.rustbucket.registry.jobs.JobLeases;
import io.rustbucket.registry.keys.RegistrationKeys;
import io.rustbucket.registry.parse.LogParser;
import io.rustbucket.registry.parse.ParsedEventSink;
import io.rustbucket.registry.poll.HealthCheck;
import io.rustbucket.registry.poll.LogPuller;
import io.rustbucket.registry.poll.SensorClient;
import io.rustbucket.registry.poll.StatusPoller;
import io.rustbucket.registry.sensors.Registration;
import io.rustbucket.registry.sensors.Sensors;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The registry's service: registration and keys, the fleet, and its five jobs (pull updates, pull logs, health,
 * parse, analyze) on their schedules, each under a database lease so a cluster of registry processes runs each job
 * once. {@link #routes} gives its HTTP API to the platform server.
 */
public final class Registry implements AutoCloseable {
    private static final Logger log = LoggerFactory.getLogger(Registry.class);

    /** The jobs, by the names the API and CLI use. */
    public enum Job {
        PULL_UPDATES("pull-updates"),
        PULL_LOGS("pull-logs"),
        HEALTH("health"),
        PARSE("parse"),
        ANALYZE("analyze");

        private final String id;

        Job(String id) {
            this.id = id;
        }

        public String id() {
            return id;
        }

        public static Optional<Job> of(String id) {
            for (Job j : values()) {
                if (j.id.equals(id)) {
                    return Optional.of(j);
                }
            }
            return Optional.empty();
        }
    }

    /** What triggering a job did: {@code ran} false when another process holds its lease. */
    public record JobRun(String job, boolean ran, String summary, long millis) {}

    private final CoreServices core;
    private final RegistryConfig config;
    private final RegistrationKeys keys;
    private final Sensors sensors;
    private final Registration registration;
    private final SensorClient client;
    private final Archive archive;
    private final StatusPoller statusPoller;
    private final LogPuller logPuller;
    private final HealthCheck health;
    private final LogParser parser;
    private final Analyst analyst;
    private final Activity activity;
    private final JobLeases leases;
    private final ScheduledExecutorService scheduler;

    private Registry(CoreServices core, RegistryConfig config, ParsedEventSink sink, boolean schedule) {
        this.core = core;
        this.config = config;
        Path dir = core.dataDir().resolve("registry");
        SecretBox secrets = SecretBox.open(
                config.secretKeyFile().isEmpty() ? dir.resolve("secret.key") : Path.of(config.secretKeyFile()));
        this.keys = new RegistrationKeys(core.database(), core.clock());
        this.sensors = new Sensors(core.database(), core.clock(), secrets);
        this.registration = new Registration(core.database(), core.clock(), secrets, config);
        this.client =
                new SensorClient(Duration.ofSeconds(Math.min(10, config.updateTimeoutSecs())), config.legacyHttpPort());
        this.archive = new Archive(core.store(), core.database(), core.clock());
        this.statusPoller = new StatusPoller(sensors, client, config);
        this.logPuller = new LogPuller(sensors, client, archive, config, dir.resolve("spool"), core.clock());
        this.health = new HealthCheck(sensors, config.healthThreshold(), core.clock());
        this.activity = new Activity(core.database(), core.clock());
        this.parser = new LogParser(archive, core.database(), sink, activity, core.clock());
        this.analyst = new Analyst(core.database(), sensors, core.llm(), config, core.clock());
        this.leases = new JobLeases(core.database(), core.clock(), holderName());
        this.scheduler = Executors.newScheduledThreadPool(
                Job.values().length,
                Thread.ofPlatform().daemon().name("registry-job-", 0).factory());
        activity.rebuildIfEmpty(); // before any parse runs: counts from an older database
        if (schedule) {
            schedule(Job.PULL_UPDATES, config.pullUpdatesSecs());
            schedule(Job.PULL_LOGS, config.pullLogsSecs());
            schedule(Job.HEALTH, config.healthSecs());
            schedule(Job.PARSE, config.parseSecs());
            schedule(Job.ANALYZE, config.analyzeSecs());
        }
        core.readiness().register("registry", this::probe);
    }

    /**
     * Migrates the registry's tables and starts its schedule.
     *
     * @param sink where parsed events go besides SQL ({@link ParsedEventSink#NONE} when no log platform runs)
     */
    public static Registry start(CoreServices core, RegistryConfig config, ParsedEventSink sink) {
        core.database().migrate("registry");
        return new Registry(core, config, sink, true);
    }

    /** The registry without its schedule: for the CLI (keys, run-job) against a data directory. */
    public static Registry open(CoreServices core, RegistryConfig config) {
        return unscheduled(core, config, ParsedEventSink.NONE);
    }

    /** Jobs run only when triggered (tests drive them one by one). */
    public static Registry unscheduled(CoreServices core, RegistryConfig config, ParsedEventSink sink) {
        core.database().migrate("registry");
        return new Registry(core, config, sink, false);
    }

    public ApiServer.Routes routes() {
        return new RegistryRoutes(this, core.authenticator(), core.audit());
    }

    public RegistrationKeys keys() {
        return keys;
    }

    public Sensors sensors() {
        return sensors;
    }

    public Registration registration() {
        return registration;
    }

    public Analyst analyst() {
        return analyst;
    }

    /** What attackers did, from the parsed events: the console's charts, sessions and replays. */
    public Activity activity() {
        return activity;
    }

    public Archive archive() {
        return archive;
    }

    public JobLeases leases() {
        return leases;
    }

    public RegistryConfig config() {
        return config;
    }

    /** Runs a job now (an admin's trigger), unless another process is running it. */
    public JobRun runJob(Job job) {
        return run(job, null);
    }

    private JobRun run(Job job, Duration spacing) {
        long start = System.nanoTime();
        Duration ttl = switch (job) {
            case PULL_UPDATES, HEALTH -> Duration.ofMinutes(5);
            case PULL_LOGS, PARSE, ANALYZE -> Duration.ofMinutes(15);
        };
        Optional<JobLeases.Lease> lease = leases.acquire(job.id(), ttl, spacing);
        if (lease.isEmpty()) {
            return new JobRun(job.id(), false, "another registry process holds the lease", 0);
        }
        try (JobLeases.Lease l = lease.get()) {
            BooleanSupplier keepGoing = renewEvery(l, Duration.ofSeconds(30));
            String summary = switch (job) {
                case PULL_UPDATES -> statusPoller.run().summary();
                case PULL_LOGS -> logPuller.run().summary();
                case HEALTH -> health.run().toString();
                case PARSE -> {
                    int found = archive.discoverPushed(sensors.list(), config.pushLookbackDays());
                    yield "pushed batches found " + found + "; " + parser.run(keepGoing);
                }
                case ANALYZE -> analyst.run(keepGoing).toString();
            };
            l.finish(summary);
            long ms = (System.nanoTime() - start) / 1_000_000;
            log.info("registry job {} done in {} ms: {}", job.id(), ms, summary);
            return new JobRun(job.id(), true, summary, ms);
        }
    }

    /** A keep-going check for long jobs that renews the lease at most every {@code every}. */
    private static BooleanSupplier renewEvery(JobLeases.Lease lease, Duration every) {
        long[] last = {System.nanoTime()};
        return () -> {
            if (System.nanoTime() - last[0] < every.toNanos()) {
                return true;
            }
            last[0] = System.nanoTime();
            return lease.renew();
        };
    }

    private void schedule(Job job, int intervalSecs) {
        long initial = Math.min(intervalSecs, 60);
        // Spacing a little under the interval: runs of several processes add up to about one per interval.
        Duration spacing = Duration.ofSeconds(intervalSecs).multipliedBy(9).dividedBy(10);
        scheduler.scheduleWithFixedDelay(
                () -> {
                    try {
                        run(job, spacing);
                    } catch (RuntimeException e) {
                        log.error("registry job {} failed; next run in {} s", job.id(), intervalSecs, e);
                    }
                },
                initial,
                intervalSecs,
                TimeUnit.SECONDS);
    }

    public PartState probe() {
        long[] counts = archive.counts();
        return PartState.ready(
                "registry",
                sensors.countByStatus().values().stream()
                                .mapToLong(Long::longValue)
                                .sum() + " sensors; archive " + counts[0] + " objects, " + counts[1] + " to parse");
    }

    /** Fleet figures for the API and console. */
    public Map<String, Object> summary() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("sensors", sensors.countByStatus());
        long[] counts = archive.counts();
        m.put("archive_objects", counts[0]);
        m.put("archive_unparsed", counts[1]);
        m.put("open_alerts", sensors.alerts(null, true, 1000).size());
        m.put("analysis_model", analyst.model());
        return m;
    }

    private static String holderName() {
        String host;
        try {
            host = java.net.InetAddress.getLocalHost().getHostName();
        } catch (java.io.IOException e) {
            host = "host";
        }
        return host + ":" + ProcessHandle.current().pid() + ":"
                + UUID.randomUUID().toString().substring(0, 8);
    }

    @Override
    public void close() {
        scheduler.shutdownNow();
        try {
            scheduler.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        client.close();
    }
}
