-- The registry: keys, sensors, the log archive's bookkeeping, parsed events and analyses.
-- Placeholders (see SqlVendor): ${ts} UTC timestamp, ${bool}, ${text}; ${table} = table options.
-- `logs` and `log_analysis` keep the names and columns the design fixes (specs/registry-protocol.md).

CREATE TABLE registration_keys (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    name VARCHAR(128) NOT NULL,
    key_hash CHAR(64) NOT NULL,
    created_by VARCHAR(64) NOT NULL,
    created_at ${ts} NOT NULL,
    expires_at ${ts},
    revoked_at ${ts},
    used_at ${ts},
    sensor_id VARCHAR(40),
    CONSTRAINT uq_registration_keys_hash UNIQUE (key_hash)
)${table};

CREATE TABLE sensors (
    id VARCHAR(40) NOT NULL PRIMARY KEY,
    name VARCHAR(128) NOT NULL,
    ip_address VARCHAR(64) NOT NULL,
    operating_system VARCHAR(128) NOT NULL,
    status VARCHAR(16) NOT NULL,
    key_id VARCHAR(36) NOT NULL,
    poll_secret VARCHAR(512) NOT NULL,
    cpu_usage VARCHAR(10),
    memory_usage VARCHAR(10),
    disk_space VARCHAR(20),
    uptime VARCHAR(20),
    connections VARCHAR(20),
    s3_bucket_name VARCHAR(255),
    s3_region VARCHAR(64),
    s3_prefix VARCHAR(255),
    mgmt_url VARCHAR(512),
    mgmt_cert_sha256 CHAR(64),
    registered_at ${ts} NOT NULL,
    last_seen_at ${ts},
    last_log_pull_at ${ts},
    log_cursor VARCHAR(256),
    last_error VARCHAR(512),
    CONSTRAINT uq_sensors_key UNIQUE (key_id)
)${table};
CREATE INDEX ix_sensors_status ON sensors (status);

CREATE TABLE sensor_status_history (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    sensor_id VARCHAR(40) NOT NULL,
    at ${ts} NOT NULL,
    old_status VARCHAR(16),
    new_status VARCHAR(16) NOT NULL,
    actor VARCHAR(64) NOT NULL,
    CONSTRAINT fk_status_history_sensor FOREIGN KEY (sensor_id) REFERENCES sensors (id) ON DELETE CASCADE
)${table};
CREATE INDEX ix_status_history_sensor ON sensor_status_history (sensor_id, at);

CREATE TABLE sensor_metrics (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    sensor_id VARCHAR(40) NOT NULL,
    at ${ts} NOT NULL,
    cpu_usage VARCHAR(10),
    memory_usage VARCHAR(10),
    disk_space VARCHAR(20),
    uptime VARCHAR(20),
    connections VARCHAR(20),
    CONSTRAINT fk_sensor_metrics_sensor FOREIGN KEY (sensor_id) REFERENCES sensors (id) ON DELETE CASCADE
)${table};
CREATE INDEX ix_sensor_metrics_sensor ON sensor_metrics (sensor_id, at);

-- An open row (resolved_at NULL) is a running incident; one per sensor and kind at a time.
CREATE TABLE sensor_alerts (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    sensor_id VARCHAR(40) NOT NULL,
    kind VARCHAR(32) NOT NULL,
    opened_at ${ts} NOT NULL,
    resolved_at ${ts},
    detail VARCHAR(512) NOT NULL,
    CONSTRAINT fk_sensor_alerts_sensor FOREIGN KEY (sensor_id) REFERENCES sensors (id) ON DELETE CASCADE
)${table};
CREATE INDEX ix_sensor_alerts_open ON sensor_alerts (sensor_id, kind, resolved_at);

-- Every archive object the registry knows, pulled or pushed; parsed_at NULL = waiting for the parser.
CREATE TABLE archive_objects (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    key_hash CHAR(64) NOT NULL,
    object_key VARCHAR(1024) NOT NULL,
    sensor_id VARCHAR(40),
    sensor_name VARCHAR(128) NOT NULL,
    origin VARCHAR(8) NOT NULL,
    size_bytes BIGINT NOT NULL,
    line_count BIGINT NOT NULL,
    archived_at ${ts} NOT NULL,
    parsed_at ${ts},
    events BIGINT,
    invalid_lines BIGINT,
    parse_error VARCHAR(512),
    CONSTRAINT uq_archive_objects_key UNIQUE (key_hash)
)${table};
CREATE INDEX ix_archive_objects_parsed ON archive_objects (parsed_at);

CREATE TABLE logs (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    name VARCHAR(128) NOT NULL,
    ip_address VARCHAR(64) NOT NULL,
    log ${text} NOT NULL,
    log_size DECIMAL(12, 4) NOT NULL,
    created_at ${ts} NOT NULL,
    archive_object_id VARCHAR(36),
    sensor_id VARCHAR(40)
)${table};
CREATE INDEX ix_logs_created ON logs (created_at);

-- One row per parsed event. event_key = SHA-256 of sensor and event.id (or of the raw line when the event
-- has no id), so an event that arrives both pulled and pushed is stored once.
CREATE TABLE sensor_events (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    event_key CHAR(64) NOT NULL,
    archive_object_id VARCHAR(36) NOT NULL,
    sensor_id VARCHAR(40),
    sensor_name VARCHAR(128) NOT NULL,
    at ${ts} NOT NULL,
    parsed_at ${ts} NOT NULL,
    session_id VARCHAR(64),
    source_ip VARCHAR(64),
    source_port INTEGER,
    protocol VARCHAR(16),
    action VARCHAR(64),
    user_name VARCHAR(256),
    user_password VARCHAR(256),
    input VARCHAR(4096),
    responder VARCHAR(32),
    url VARCHAR(2048),
    file_sha256 VARCHAR(64),
    CONSTRAINT uq_sensor_events_key UNIQUE (event_key)
)${table};
CREATE INDEX ix_sensor_events_sensor_at ON sensor_events (sensor_id, at);
CREATE INDEX ix_sensor_events_at ON sensor_events (at);
CREATE INDEX ix_sensor_events_parsed ON sensor_events (sensor_id, parsed_at);
CREATE INDEX ix_sensor_events_session ON sensor_events (session_id);
CREATE INDEX ix_sensor_events_source ON sensor_events (source_ip, at);
CREATE INDEX ix_sensor_events_sha ON sensor_events (file_sha256);

-- Lines of an archive object that are not valid events, kept as text (cut to 4,000 characters).
CREATE TABLE sensor_raw_lines (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    archive_object_id VARCHAR(36) NOT NULL,
    line_no BIGINT NOT NULL,
    reason VARCHAR(256) NOT NULL,
    line_text VARCHAR(4000) NOT NULL
)${table};
CREATE INDEX ix_sensor_raw_lines_object ON sensor_raw_lines (archive_object_id);

CREATE TABLE log_analysis (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    name VARCHAR(128) NOT NULL,
    ip_address VARCHAR(64) NOT NULL,
    log_analysis ${text} NOT NULL,
    created_at ${ts} NOT NULL,
    sensor_id VARCHAR(40),
    period_from ${ts},
    period_to ${ts},
    model VARCHAR(64),
    events BIGINT,
    facts ${text}
)${table};
CREATE INDEX ix_log_analysis_sensor ON log_analysis (sensor_id, created_at);

-- One row per job: the holder runs it until expires_at; last_finished_at spaces scheduled runs cluster-wide.
CREATE TABLE job_leases (
    job VARCHAR(32) NOT NULL PRIMARY KEY,
    holder VARCHAR(64),
    expires_at ${ts},
    last_started_at ${ts},
    last_finished_at ${ts},
    last_result VARCHAR(512)
)${table};
INSERT INTO job_leases (job) VALUES ('pull-updates');
INSERT INTO job_leases (job) VALUES ('pull-logs');
INSERT INTO job_leases (job) VALUES ('health');
INSERT INTO job_leases (job) VALUES ('parse');
INSERT INTO job_leases (job) VALUES ('analyze');
