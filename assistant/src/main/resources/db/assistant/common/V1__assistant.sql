-- The assistant (RustyGPT): conversations, their participants and invites, messages in thread trees, the
-- persisted chunks of streamed replies, and per-user read watermarks. Placeholders: see SqlVendor.

CREATE TABLE asst_conversations (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    title VARCHAR(200) NOT NULL,
    is_group ${bool} NOT NULL,
    model VARCHAR(64),
    created_by VARCHAR(36) NOT NULL,
    created_at ${ts} NOT NULL,
    updated_at ${ts} NOT NULL
)${table};

CREATE TABLE asst_participants (
    conversation_id VARCHAR(36) NOT NULL,
    user_id VARCHAR(36) NOT NULL,
    role VARCHAR(16) NOT NULL,
    joined_at ${ts} NOT NULL,
    CONSTRAINT pk_asst_participants PRIMARY KEY (conversation_id, user_id)
)${table};
CREATE INDEX ix_asst_participants_user ON asst_participants (user_id);

CREATE TABLE asst_invites (
    token_hash CHAR(64) NOT NULL PRIMARY KEY,
    conversation_id VARCHAR(36) NOT NULL,
    email VARCHAR(254) NOT NULL,
    role VARCHAR(16) NOT NULL,
    created_by VARCHAR(36) NOT NULL,
    created_at ${ts} NOT NULL,
    expires_at ${ts} NOT NULL,
    revoked_at ${ts},
    accepted_by VARCHAR(36),
    accepted_at ${ts}
)${table};

-- path: the root's is "000000"; a reply's is its parent's plus "/" and a six-digit sibling number, so ORDER BY
-- path is the tree in reading order. root_id of a root is its own id.
CREATE TABLE asst_messages (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    conversation_id VARCHAR(36) NOT NULL,
    root_id VARCHAR(36) NOT NULL,
    parent_id VARCHAR(36),
    author_user_id VARCHAR(36),
    role VARCHAR(16) NOT NULL,
    content ${text} NOT NULL,
    path VARCHAR(700) NOT NULL,
    depth INTEGER NOT NULL,
    status VARCHAR(16) NOT NULL,
    finish_reason VARCHAR(16),
    model VARCHAR(64),
    created_at ${ts} NOT NULL,
    updated_at ${ts} NOT NULL,
    edited_at ${ts},
    deleted_at ${ts},
    CONSTRAINT uq_asst_messages_path UNIQUE (root_id, path)
)${table};
CREATE INDEX ix_asst_messages_conv ON asst_messages (conversation_id, created_at);
CREATE INDEX ix_asst_messages_parent ON asst_messages (parent_id);

CREATE TABLE asst_chunks (
    message_id VARCHAR(36) NOT NULL,
    seq INTEGER NOT NULL,
    content ${text} NOT NULL,
    created_at ${ts} NOT NULL,
    CONSTRAINT pk_asst_chunks PRIMARY KEY (message_id, seq)
)${table};

CREATE TABLE asst_reads (
    user_id VARCHAR(36) NOT NULL,
    root_id VARCHAR(36) NOT NULL,
    read_at ${ts} NOT NULL,
    CONSTRAINT pk_asst_reads PRIMARY KEY (user_id, root_id)
)${table};
