-- Alerts: incidents and their deliveries, spam groups, samples, verdicts and members.
-- Placeholders (see SqlVendor): ${ts} UTC timestamp, ${bool}, ${text}; ${table} = table options.

-- One row per incident: a rule key has at most one open row; escalation updates it, clearing resolves it.
CREATE TABLE alerts (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    rule_key VARCHAR(200) NOT NULL,
    kind VARCHAR(40) NOT NULL,
    severity VARCHAR(16) NOT NULL,
    status VARCHAR(16) NOT NULL,
    title VARCHAR(500) NOT NULL,
    detail ${text},
    observed DOUBLE PRECISION,
    opened_at ${ts} NOT NULL,
    updated_at ${ts} NOT NULL,
    acknowledged_by VARCHAR(64),
    acknowledged_at ${ts},
    resolved_at ${ts},
    resolved_by VARCHAR(64)
)${table};
CREATE INDEX ix_alerts_rule ON alerts (rule_key, status);
CREATE INDEX ix_alerts_opened ON alerts (opened_at);

-- One row per notification to send: retried with backoff until sent or given up (then visible as failed).
CREATE TABLE alert_deliveries (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    alert_id VARCHAR(36) NOT NULL,
    channel VARCHAR(32) NOT NULL,
    event VARCHAR(16) NOT NULL,
    status VARCHAR(16) NOT NULL,
    attempts INT NOT NULL,
    next_attempt_at ${ts} NOT NULL,
    last_error VARCHAR(1000),
    created_at ${ts} NOT NULL,
    sent_at ${ts},
    CONSTRAINT fk_deliveries_alert FOREIGN KEY (alert_id) REFERENCES alerts (id) ON DELETE CASCADE
)${table};
CREATE INDEX ix_deliveries_due ON alert_deliveries (status, next_attempt_at);
CREATE INDEX ix_deliveries_alert ON alert_deliveries (alert_id);

CREATE TABLE spam_groups (
    id VARCHAR(128) NOT NULL PRIMARY KEY,
    settings ${text} NOT NULL,
    linked_user VARCHAR(64),
    updated_at ${ts} NOT NULL
)${table};

CREATE TABLE spam_samples (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    label VARCHAR(8) NOT NULL,
    body ${text} NOT NULL,
    source VARCHAR(64) NOT NULL,
    created_at ${ts} NOT NULL
)${table};
CREATE INDEX ix_spam_samples_created ON spam_samples (created_at);

CREATE TABLE spam_verdicts (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    group_id VARCHAR(128) NOT NULL,
    user_id VARCHAR(64),
    user_name VARCHAR(128),
    message_ref VARCHAR(64),
    body ${text} NOT NULL,
    spam ${bool} NOT NULL,
    score DOUBLE PRECISION NOT NULL,
    checks ${text} NOT NULL,
    action VARCHAR(16) NOT NULL,
    action_error VARCHAR(500),
    created_at ${ts} NOT NULL,
    feedback VARCHAR(8),
    feedback_by VARCHAR(64),
    feedback_at ${ts}
)${table};
CREATE INDEX ix_spam_verdicts_group ON spam_verdicts (group_id, created_at);

CREATE TABLE spam_members (
    group_id VARCHAR(128) NOT NULL,
    user_id VARCHAR(64) NOT NULL,
    messages BIGINT NOT NULL,
    first_seen_at ${ts} NOT NULL,
    CONSTRAINT pk_spam_members PRIMARY KEY (group_id, user_id)
)${table};

-- One-time codes that link a Telegram group to a platform account (/start <code> in a private chat).
CREATE TABLE telegram_links (
    code_hash CHAR(64) NOT NULL PRIMARY KEY,
    username VARCHAR(64) NOT NULL,
    created_at ${ts} NOT NULL,
    expires_at ${ts} NOT NULL,
    used_at ${ts},
    telegram_user VARCHAR(64)
)${table};
