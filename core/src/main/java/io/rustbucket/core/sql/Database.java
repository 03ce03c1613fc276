package io.rustbucket.core.sql;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.rustbucket.core.health.Incident;
import io.rustbucket.core.health.PartState;
import java.nio.file.Path;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Clock;
import org.flywaydb.core.Flyway;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.JdbiException;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The platform's SQL database: a HikariCP pool, Flyway migrations per module, JDBI for queries. Callers go
 * through {@link #withHandle} / {@link #inTransaction}, which turn driver errors into typed exceptions
 * ({@link DatabaseUnavailableException}, {@link DuplicateKeyException}) and log an outage once per incident.
 */
public final class Database implements AutoCloseable {
    private final HikariDataSource dataSource;
    private final Jdbi jdbi;
    private final SqlVendor vendor;
    private final String displayUrl;
    private final Incident incident;

    private Database(HikariDataSource dataSource, SqlVendor vendor, String displayUrl, Clock clock) {
        this.dataSource = dataSource;
        this.vendor = vendor;
        this.displayUrl = displayUrl;
        this.jdbi = Jdbi.create(dataSource);
        this.incident = new Incident("database " + displayUrl, clock);
    }

    /**
     * Opens the pool and checks one connection.
     *
     * @throws DatabaseUnavailableException with a one-line reason when the database cannot be reached
     */
    public static Database open(DatabaseConfig config, Path dataDir, Clock clock) {
        String url = config.effectiveUrl(dataDir);
        SqlVendor vendor = SqlVendor.of(url);
        HikariConfig hc = new HikariConfig();
        hc.setPoolName("rustbucket-db");
        hc.setJdbcUrl(url);
        if (!config.username().isEmpty()) {
            hc.setUsername(config.username());
        }
        if (!config.password().isEmpty()) {
            hc.setPassword(config.password());
        }
        hc.setMaximumPoolSize(config.poolSize());
        hc.setMinimumIdle(Math.min(2, config.poolSize()));
        hc.setConnectionTimeout(config.connectTimeout().toMillis());
        hc.setInitializationFailTimeout(config.connectTimeout().toMillis());
        if (url.startsWith("jdbc:mysql:")) {
            hc.addDataSourceProperty("permitMysqlScheme", "true"); // the MariaDB driver serves MySQL URLs too
        }
        try {
            return new Database(new HikariDataSource(hc), vendor, SqlVendor.redact(url), clock);
        } catch (RuntimeException e) {
            throw new DatabaseUnavailableException(
                    "cannot connect to database " + SqlVendor.redact(url) + ": " + rootMessage(e)
                            + " (check database.url or RUSTBUCKET_DATABASE_URL)",
                    e);
        }
    }

    /**
     * Applies a module's migrations from {@code db/{module}/common} and {@code db/{module}/{vendor}}, with their
     * own history table so modules evolve independently.
     */
    public void migrate(String module) {
        try {
            Flyway.configure(Database.class.getClassLoader())
                    .dataSource(dataSource)
                    .locations("classpath:db/" + module + "/common", "classpath:db/" + module + "/" + vendor.folder())
                    .table("flyway_" + module)
                    .baselineOnMigrate(true)
                    .baselineVersion("0")
                    .placeholders(vendor.placeholders())
                    .failOnMissingLocations(false)
                    .load()
                    .migrate();
        } catch (RuntimeException e) {
            throw new DatabaseException("migrating " + module + " on " + displayUrl + " failed: " + rootMessage(e), e);
        }
    }

    public <R> R withHandle(HandleCallback<R, RuntimeException> callback) {
        return run(() -> jdbi.withHandle(callback));
    }

    public <R> R inTransaction(HandleCallback<R, RuntimeException> callback) {
        return run(() -> jdbi.inTransaction(callback));
    }

    public void useHandle(java.util.function.Consumer<org.jdbi.v3.core.Handle> callback) {
        withHandle(h -> {
            callback.accept(h);
            return null;
        });
    }

    public SqlVendor vendor() {
        return vendor;
    }

    public Jdbi jdbi() {
        return jdbi;
    }

    public javax.sql.DataSource dataSource() {
        return dataSource;
    }

    /** A cheap probe for readiness: borrows a connection and checks it is valid. */
    public PartState probe() {
        try (var c = dataSource.getConnection()) {
            if (c.isValid(2)) {
                incident.succeeded();
                return PartState.ready("database", vendor.folder() + " " + displayUrl);
            }
            return PartState.down("database", "connection not valid");
        } catch (SQLException e) {
            incident.failed(e);
            return PartState.down("database", rootMessage(e));
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }

    private <R> R run(java.util.function.Supplier<R> work) {
        try {
            R result = work.get();
            incident.succeeded();
            return result;
        } catch (JdbiException e) {
            throw translate(e);
        }
    }

    private RuntimeException translate(JdbiException e) {
        SQLException sql = null;
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s) {
                sql = s;
                break;
            }
        }
        if (sql == null) {
            return e;
        }
        String state = sql.getSQLState() == null ? "" : sql.getSQLState();
        // 08: connection exceptions (all vendors); 57P0x: PostgreSQL shut down or killed the backend;
        // 90067: H2 connection broken; and any exception the driver itself marks as a lost connection.
        boolean unavailable = sql instanceof SQLTransientConnectionException
                || sql instanceof java.sql.SQLNonTransientConnectionException
                || sql instanceof java.sql.SQLRecoverableException
                || state.startsWith("08")
                || state.startsWith("57P0")
                || state.equals("90067")
                || (!(e instanceof UnableToExecuteStatementException) && state.isEmpty());
        if (unavailable) {
            incident.failed(sql);
            return new DatabaseUnavailableException("database " + displayUrl + " unavailable: " + sql.getMessage(), e);
        }
        incident.succeeded();
        // 23505: unique violation (SQL standard, PostgreSQL, H2); MySQL/MariaDB say 23000 with error 1062.
        if (state.equals("23505") || sql.getErrorCode() == 1062) {
            return new DuplicateKeyException(sql.getMessage(), e);
        }
        return e;
    }

    private static String rootMessage(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() == null ? root.getClass().getSimpleName() : root.getMessage();
    }
}
