package io.rustbucket.core.sql;

import io.rustbucket.core.testing.TestDatabase;

class PostgresDatabaseTest extends MigratedDatabase {
    @Override
    TestDatabase create() {
        return TestDatabase.postgres();
    }
}
