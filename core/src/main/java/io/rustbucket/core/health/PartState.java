package io.rustbucket.core.health;

/** The state of one part of the platform as {@code /readyz} reports it. */
public record PartState(String name, Status status, String detail) {
    public enum Status {
        STARTING,
        READY,
        DEGRADED,
        DOWN
    }

    public static PartState ready(String name, String detail) {
        return new PartState(name, Status.READY, detail);
    }

    public static PartState down(String name, String detail) {
        return new PartState(name, Status.DOWN, detail);
    }
}
