package io.rustbucket.core.sql;

import io.rustbucket.core.testing.TestDatabase;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/** Runs {@link DatabaseContract} on a fresh database of one vendor, migrated once per class. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class MigratedDatabase implements DatabaseContract {
    private TestDatabase server;
    private Database db;

    /** Creates the empty database of the vendor under test. */
    abstract TestDatabase create();

    @BeforeAll
    void open() {
        server = create();
        db = Database.open(server.config(), Path.of("unused"), Clock.systemUTC());
        db.migrate("core");
        db.migrate("contract");
    }

    @AfterAll
    void close() {
        if (db != null) {
            db.close();
        }
        if (server != null) {
            server.close();
        }
    }

    @Override
    public Database db() {
        return db;
    }
}
