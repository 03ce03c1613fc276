-- Hourly counts of what the console charts and ranks (connections by protocol, sources, credentials, commands,
-- URLs), kept by the parser in the same transaction as the events; a derived view, rebuilt from sensor_events
-- when empty. Ranking a month of a million events reads these instead of every event.
CREATE TABLE activity_hourly (
    dimension VARCHAR(16) NOT NULL,
    hour_start ${ts} NOT NULL,
    item VARCHAR(512) NOT NULL,
    n BIGINT NOT NULL,
    CONSTRAINT pk_activity_hourly PRIMARY KEY (dimension, hour_start, item)
)${table};

-- The sessions list filters by user name (a semi-join over the sessions that tried that name).
CREATE INDEX ix_sensor_events_user ON sensor_events (user_name);
