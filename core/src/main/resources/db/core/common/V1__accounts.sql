-- Accounts shared by every system: users, browser sessions, bearer API tokens, and the audit trail.
-- Placeholders (see SqlVendor): ${ts} UTC timestamp, ${bool}, ${text}; ${table} = table options (utf8mb4 on MySQL).
CREATE TABLE users (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    username VARCHAR(64) NOT NULL,
    email VARCHAR(254),
    display_name VARCHAR(128) NOT NULL,
    password_hash VARCHAR(255),
    roles VARCHAR(64) NOT NULL,
    must_change_password ${bool} NOT NULL,
    disabled ${bool} NOT NULL,
    created_at ${ts} NOT NULL,
    updated_at ${ts} NOT NULL,
    CONSTRAINT uq_users_username UNIQUE (username),
    CONSTRAINT uq_users_email UNIQUE (email)
)${table};

CREATE TABLE user_sessions (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    user_id VARCHAR(36) NOT NULL,
    token_hash CHAR(64) NOT NULL,
    csrf_hash CHAR(64) NOT NULL,
    issued_at ${ts} NOT NULL,
    last_seen_at ${ts} NOT NULL,
    expires_at ${ts} NOT NULL,
    absolute_expires_at ${ts} NOT NULL,
    ip VARCHAR(64),
    user_agent VARCHAR(256),
    CONSTRAINT uq_user_sessions_token UNIQUE (token_hash),
    CONSTRAINT fk_user_sessions_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
)${table};
CREATE INDEX ix_user_sessions_user ON user_sessions (user_id);

CREATE TABLE api_tokens (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    user_id VARCHAR(36) NOT NULL,
    name VARCHAR(128) NOT NULL,
    scope VARCHAR(16) NOT NULL,
    token_hash CHAR(64) NOT NULL,
    created_at ${ts} NOT NULL,
    last_used_at ${ts},
    expires_at ${ts},
    revoked_at ${ts},
    CONSTRAINT uq_api_tokens_token UNIQUE (token_hash),
    CONSTRAINT fk_api_tokens_user FOREIGN KEY (user_id) REFERENCES users (id) ON DELETE CASCADE
)${table};
CREATE INDEX ix_api_tokens_user ON api_tokens (user_id);

CREATE TABLE audit_log (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    at ${ts} NOT NULL,
    actor VARCHAR(64) NOT NULL,
    action VARCHAR(64) NOT NULL,
    target VARCHAR(256) NOT NULL,
    detail VARCHAR(1024) NOT NULL
)${table};
CREATE INDEX ix_audit_log_at ON audit_log (at);
