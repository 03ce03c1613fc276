package io.rustbucket.core.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustbucket.core.health.PartState;
import io.rustbucket.core.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.DriverManager;
import java.time.Clock;
import org.junit.jupiter.api.Test;

/** A database that goes away while the platform runs: typed errors, readiness down, no crash. */
class DatabaseOutageTest {
    @Test
    void databaseLostAtRunTimeGivesTypedErrorsAndDownReadiness() throws Exception {
        TestDatabase server = TestDatabase.postgres();
        DatabaseConfig c = server.config();
        DatabaseConfig fast = new DatabaseConfig(c.url(), c.username(), c.password(), 2, 1);
        try (Database db = Database.open(fast, Path.of("unused"), Clock.systemUTC())) {
            db.migrate("core");
            int one = db.withHandle(
                    h -> h.createQuery("SELECT 1").mapTo(Integer.class).one());
            assertThat(one).isEqualTo(1);

            String name = c.url().replaceFirst("^.*/([^/?]+)(\\?.*)?$", "$1");
            try (var admin = DriverManager.getConnection(System.getenv(TestDatabase.POSTGRES_URL));
                    var st = admin.createStatement()) {
                st.execute("DROP DATABASE " + name + " WITH (FORCE)"); // kills our pooled connections too
            }
            assertThatThrownBy(() -> db.withHandle(
                            h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()))
                    .isInstanceOf(DatabaseUnavailableException.class);
            assertThatThrownBy(() -> db.withHandle(
                            h -> h.createQuery("SELECT 1").mapTo(Integer.class).one()))
                    .isInstanceOf(DatabaseUnavailableException.class);
            assertThat(db.probe().status()).isEqualTo(PartState.Status.DOWN);
        } finally {
            server.close();
        }
    }
}
