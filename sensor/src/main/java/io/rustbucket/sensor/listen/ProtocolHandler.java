package io.rustbucket.sensor.listen;

import java.io.IOException;

/**
 * One protocol's conversation with a client. It runs on the connection's own virtual thread and may block on
 * reads: the listener enforces the idle timeout (socket timeout) and the session cap (closes the socket).
 * Exceptions end the session; they are logged by the listener, never shown to the client.
 */
@FunctionalInterface
public interface ProtocolHandler {
    void handle(Connection connection) throws IOException;
}
