package io.rustbucket.core.runtime;

import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.rustbucket.core.auth.Accounts;
import io.rustbucket.core.auth.ApiTokens;
import io.rustbucket.core.auth.AuditLog;
import io.rustbucket.core.auth.AuthConfig;
import io.rustbucket.core.auth.AuthRoutes;
import io.rustbucket.core.auth.Authenticator;
import io.rustbucket.core.auth.PasswordHasher;
import io.rustbucket.core.auth.Revocations;
import io.rustbucket.core.auth.Sessions;
import io.rustbucket.core.auth.SignIn;
import io.rustbucket.core.health.PartState;
import io.rustbucket.core.health.Readiness;
import io.rustbucket.core.llm.LlmConfig;
import io.rustbucket.core.llm.LlmGateway;
import io.rustbucket.core.llm.UsageLedger;
import io.rustbucket.core.sql.Database;
import io.rustbucket.core.sql.DatabaseConfig;
import io.rustbucket.core.store.ObjectStore;
import io.rustbucket.core.store.ObjectStores;
import io.rustbucket.core.store.StoreConfig;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;

/**
 * The shared parts every system runs on, opened once per process: database (migrated), object store, accounts,
 * metrics and readiness. Systems receive this instead of opening their own.
 */
public final class CoreServices implements AutoCloseable {
    private static final org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger(CoreServices.class);
    private final Path dataDir;
    private final Clock clock;
    private final Database database;
    private final ObjectStore store;
    private final Accounts accounts;
    private final Sessions sessions;
    private final Revocations revocations = new Revocations();
    private final ApiTokens tokens;
    private final Authenticator authenticator;
    private final AuditLog audit;
    private final SignIn signIn;
    private final LlmGateway llm;
    private final Readiness readiness = new Readiness();
    private final PrometheusMeterRegistry metrics = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
    private final UsageLedger usage;
    /** Rechecks the credentials of open streams ({@link Revocations#recheck}) and writes the model usage. */
    private final java.util.concurrent.ScheduledExecutorService housekeeping =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(
                    Thread.ofPlatform().name("core-housekeeping").daemon().factory());

    private CoreServices(
            Path dataDir,
            Clock clock,
            Database database,
            ObjectStore store,
            AuthConfig auth,
            PasswordHasher hasher,
            LlmConfig llmConfig,
            java.util.Map<String, String> env) {
        this.dataDir = dataDir;
        this.clock = clock;
        this.database = database;
        this.store = store;
        this.accounts = new Accounts(database, hasher, clock);
        this.sessions = new Sessions(database, accounts, auth, clock, revocations);
        this.tokens = new ApiTokens(database, accounts, clock, revocations);
        this.authenticator = new Authenticator(sessions, tokens, auth);
        this.audit = new AuditLog(database, clock);
        this.signIn = new SignIn(accounts, sessions, auth, clock);
        this.usage = new UsageLedger(database, clock);
        this.llm = new LlmGateway(llmConfig, env, clock, metrics, usage);
        long every = Revocations.RECHECK_INTERVAL.toMillis();
        housekeeping.scheduleWithFixedDelay(this::recheckCredentials, every, every, TimeUnit.MILLISECONDS);
        long flush = UsageLedger.FLUSH_INTERVAL.toMillis();
        housekeeping.scheduleWithFixedDelay(usage::flush, flush, flush, TimeUnit.MILLISECONDS);
        readiness.register("database", database::probe);
        readiness.register("store", () -> PartState.ready("store", store.describe()));
        readiness.register(
                "llm", () -> PartState.ready("llm", "models " + llm.models() + ", default " + llm.defaultModel()));
    }

    /**
     * Opens the database (and migrates the core schema), the object store and the model gateway.
     *
     * @throws io.rustbucket.core.sql.DatabaseUnavailableException when the database cannot be reached
     */
    public static CoreServices open(
            Path dataDir,
            DatabaseConfig db,
            StoreConfig storeConfig,
            AuthConfig auth,
            LlmConfig llmConfig,
            java.util.Map<String, String> env,
            PasswordHasher hasher,
            Clock clock) {
        llmConfig.effectiveModels(env); // validates llm.default_model before anything is opened
        Database database = Database.open(db, dataDir, clock);
        try {
            database.migrate("core");
            ObjectStore store = ObjectStores.open(storeConfig, dataDir);
            return new CoreServices(dataDir, clock, database, store, auth, hasher, llmConfig, env);
        } catch (RuntimeException e) {
            database.close();
            throw e;
        }
    }

    /** The account routes (sign-in, tokens, users) for the platform HTTP server. */
    public AuthRoutes authRoutes() {
        return new AuthRoutes(accounts, sessions, tokens, signIn, authenticator, audit);
    }

    public Path dataDir() {
        return dataDir;
    }

    public Clock clock() {
        return clock;
    }

    public Database database() {
        return database;
    }

    public ObjectStore store() {
        return store;
    }

    public Accounts accounts() {
        return accounts;
    }

    public ApiTokens tokens() {
        return tokens;
    }

    public SignIn signIn() {
        return signIn;
    }

    public Sessions sessions() {
        return sessions;
    }

    /** What a session or API token ended tells the open streams it authorised. */
    public Revocations revocations() {
        return revocations;
    }

    public Authenticator authenticator() {
        return authenticator;
    }

    public LlmGateway llm() {
        return llm;
    }

    /** Model usage per day, caller, user and model. */
    public UsageLedger usage() {
        return usage;
    }

    public AuditLog audit() {
        return audit;
    }

    public Readiness readiness() {
        return readiness;
    }

    public PrometheusMeterRegistry metrics() {
        return metrics;
    }

    private void recheckCredentials() {
        try {
            revocations.recheck(sessions::live, tokens::live);
        } catch (RuntimeException failed) { // the database is away: the next round asks again
            if (!housekeeping.isShutdown()) { // (at close, the database goes away under a running check)
                log.warn("recheck of open streams' credentials failed: {}", failed.toString());
            }
        }
    }

    @Override
    public void close() {
        housekeeping.shutdownNow();
        llm.close();
        usage.flush(); // the last interval's calls (a failure is logged and they are lost with the process)
        store.close();
        database.close();
    }
}
