-- Accounts signed in through GitHub or Apple: the provider's stable subject id, linked to a platform user.
CREATE TABLE oauth_identities (
    provider VARCHAR(16) NOT NULL,
    subject VARCHAR(255) NOT NULL,
    user_id VARCHAR(36) NOT NULL,
    email VARCHAR(254),
    created_at ${ts} NOT NULL,
    CONSTRAINT pk_oauth_identities PRIMARY KEY (provider, subject)
)${table};
