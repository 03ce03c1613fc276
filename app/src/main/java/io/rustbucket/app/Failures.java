package io.rustbucket.app;

import io.rustbucket.core.config.ConfigException;
import io.rustbucket.core.http.PortInUseException;
import io.rustbucket.core.sql.DatabaseException;
import io.rustbucket.core.store.StoreException;

/** Turns a start-up failure into the one line a user sees; known failures carry their own fix. */
final class Failures {
    private Failures() {}

    static String oneLine(Throwable e) {
        if (e instanceof ConfigException
                || e instanceof DatabaseException
                || e instanceof StoreException
                || e instanceof StartupException
                || e instanceof IllegalArgumentException
                || e instanceof IllegalStateException) {
            return e.getMessage();
        }
        if (e instanceof PortInUseException p) {
            return p.getMessage() + "; stop the other process or choose another port (--port, RUSTBUCKET_PORT)";
        }
        String msg = e.getMessage();
        return e.getClass().getSimpleName()
                + (msg == null ? "" : ": " + msg.lines().findFirst().orElse(""));
    }
}
