package io.rustbucket.core.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.rustbucket.core.config.ConfigException;
import java.nio.file.Path;
import java.time.Clock;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseStartupTest {
    @TempDir
    Path data;

    @Test
    void unreachableServerFailsWithOneLineNamingTheUrlWithoutPassword() {
        DatabaseConfig config = new DatabaseConfig("jdbc:postgresql://127.0.0.1:1/x?password=hunter2", "", "", 2, 1);
        assertThatThrownBy(() -> Database.open(config, data, Clock.systemUTC()))
                .isInstanceOf(DatabaseUnavailableException.class)
                .hasMessageContaining("jdbc:postgresql://127.0.0.1:1/x?password=***")
                .hasMessageNotContaining("hunter2")
                .hasMessageContaining("database.url")
                .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n"));
    }

    @Test
    void unsupportedUrlIsAConfigError() {
        assertThatThrownBy(() -> new DatabaseConfig("jdbc:oracle:thin:@x", null, null, null, null))
                .isInstanceOf(ConfigException.class)
                .hasMessageContaining("database.url");
    }

    @Test
    void defaultIsAnH2FileUnderTheDataDirectory() {
        try (Database db = Database.open(DatabaseConfig.defaults(), data, Clock.systemUTC())) {
            db.migrate("core");
            assertThat(db.vendor()).isEqualTo(SqlVendor.H2);
            assertThat(data.resolve("db/rustbucket.mv.db")).exists();
        }
    }

    @Test
    void redactsPasswordsInUrls() {
        assertThat(SqlVendor.redact("jdbc:mysql://u:secret@h/db")).isEqualTo("jdbc:mysql://u:***@h/db");
        assertThat(SqlVendor.redact("jdbc:postgresql://h/db?user=a&password=s&x=1"))
                .isEqualTo("jdbc:postgresql://h/db?user=a&password=***&x=1");
    }
}
