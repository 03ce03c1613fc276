-- A table that exercises every placeholder type, for DatabaseContract.
CREATE TABLE contract_items (
    id VARCHAR(36) NOT NULL PRIMARY KEY,
    name VARCHAR(64) NOT NULL,
    body ${text},
    data ${blob},
    flag ${bool} NOT NULL,
    created_at ${ts} NOT NULL,
    CONSTRAINT uq_contract_items_name UNIQUE (name)
)${table};
