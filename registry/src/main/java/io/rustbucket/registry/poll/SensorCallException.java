package io.rustbucket.registry.poll;

/** A call to a sensor failed; the message is one line for the fleet table ("timed out after 10 s", ...). */
public final class SensorCallException extends Exception {
    public SensorCallException(String message) {
        super(message);
    }

    public SensorCallException(String message, Throwable cause) {
        super(message, cause);
    }
}
