package io.rustbucket.sensor.record;

/** Where a session's events come from and go to: a socket connection, or an SSH session. */
public interface SessionEvents {
    /** An event of this session, already filled with sensor, session, protocol, source and destination. */
    SensorEvent.Builder event(EventAction action);

    void record(SensorEvent event);
}
