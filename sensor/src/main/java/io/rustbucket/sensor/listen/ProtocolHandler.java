package io.rustbucket.sensor.listen;

import java.io.IOException;

/**
 * One protocol's conversation with a client, in two steps: {@link #greet} says what the server says first (a
 * banner) and must not read; then the connection waits for input without a thread, and {@link #handle} runs on a
 * virtual thread once bytes arrive, blocking on reads as it likes. The listener enforces the read timeout in force
 * (set with {@link Connection#readTimeout}, in the wait too) and the session cap (closes the socket). Exceptions
 * end the session; they are logged by the listener, never shown to the client.
 */
@FunctionalInterface
public interface ProtocolHandler {
    /** The server's first words, before the client has said anything; nothing by default (HTTP). */
    default void greet(Connection connection) throws IOException {}

    void handle(Connection connection) throws IOException;
}
