package io.rustbucket.core.sql;

import io.rustbucket.core.testing.TestDatabase;

class MariaDbDatabaseTest extends MigratedDatabase {
    @Override
    TestDatabase create() {
        return TestDatabase.mysql();
    }
}
