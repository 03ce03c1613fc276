-- Model usage per UTC day, caller kind, user and model (the LLM gateway's ledger). user_id is '' for callers
-- that act for no user (the sensor, the registry's analyst, the spam check): a key column cannot be NULL.
CREATE TABLE llm_usage (
    usage_day DATE NOT NULL,
    caller VARCHAR(64) NOT NULL,
    user_id VARCHAR(64) NOT NULL,
    model VARCHAR(128) NOT NULL,
    calls BIGINT NOT NULL,
    failed BIGINT NOT NULL,
    input_tokens BIGINT NOT NULL,
    output_tokens BIGINT NOT NULL,
    CONSTRAINT pk_llm_usage PRIMARY KEY (usage_day, caller, user_id, model)
)${table};

CREATE INDEX ix_llm_usage_user ON llm_usage (user_id, usage_day);
