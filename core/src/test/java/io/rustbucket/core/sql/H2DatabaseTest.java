package io.rustbucket.core.sql;

import io.rustbucket.core.testing.TestDatabase;

class H2DatabaseTest extends MigratedDatabase {
    @Override
    TestDatabase create() {
        return TestDatabase.h2();
    }
}
