package io.rustbucket.console;

/** Fleet health at a glance: an Active sensor not seen within the registry's threshold counts as down. */
public record FleetHealth(long up, long down, long review, long inactive) {
    public long total() {
        return up + down + review + inactive;
    }
}
