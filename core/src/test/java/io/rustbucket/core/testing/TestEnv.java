package io.rustbucket.core.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;

/**
 * Reads the addresses of real servers (PostgreSQL, MariaDB, Redis, OpenSearch) that tests need. Absent, the
 * test is skipped with a reason; under {@code CI=true} an absent server fails the build instead, so CI can never
 * pass by skipping.
 */
public final class TestEnv {
    private TestEnv() {}

    /** Returns the variable's value, or skips (locally) / fails (in CI) the calling test. */
    public static String require(String variable, String what) {
        String value = System.getenv(variable);
        if (value != null && !value.isBlank()) {
            return value;
        }
        String reason = what + " not configured: set " + variable;
        if (isCi()) {
            fail(reason + " (CI=true: a missing test server is a failure, not a skip)");
        }
        Assumptions.abort(reason);
        return null;
    }

    public static boolean isCi() {
        return "true".equalsIgnoreCase(System.getenv("CI"));
    }
}
