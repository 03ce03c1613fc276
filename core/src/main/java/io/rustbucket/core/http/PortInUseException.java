package io.rustbucket.core.http;

/** The server's address is taken by another process. */
public final class PortInUseException extends RuntimeException {
    public PortInUseException(String host, int port, Throwable cause) {
        super(host + ":" + port + " is already in use", cause);
    }
}
