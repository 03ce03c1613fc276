-- The console: each platform user's Bucket Chat identity. The signing key's 32-byte seed is sealed (AES-256-GCM
-- under the data directory's key file, the user id as associated data); the public key is plain.
CREATE TABLE chat_identities (
    user_id VARCHAR(36) NOT NULL PRIMARY KEY,
    sender_id VARCHAR(200) NOT NULL,
    public_key VARCHAR(64) NOT NULL,
    sealed_seed VARCHAR(256) NOT NULL,
    created_at ${ts} NOT NULL,
    CONSTRAINT uq_chat_identities_sender UNIQUE (sender_id)
)${table};
