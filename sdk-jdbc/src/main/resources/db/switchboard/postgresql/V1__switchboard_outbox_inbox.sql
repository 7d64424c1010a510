-- Switchboard JDBC tables, version 1, for PostgreSQL 12 or later.
-- Apply with Flyway (location classpath:db/switchboard/postgresql), Liquibase (sqlFile) or by hand;
-- SwitchboardTables.create(dataSource) applies the same statements when the tables are missing.

-- Events written in the caller's transaction and not yet confirmed by the broker. The relay publishes a
-- bucket's rows in id order and deletes them once confirmed. bucket = floorMod(hash of the partition key,
-- or of the event id for an event without a key, 64): one relay at a time owns a bucket (see the lease table).
CREATE TABLE IF NOT EXISTS switchboard_outbox (
    id            BIGSERIAL    PRIMARY KEY,
    bucket        INTEGER      NOT NULL,
    topic         VARCHAR(255) NOT NULL,
    event_id      VARCHAR(255) NOT NULL,
    partition_key VARCHAR(255),
    attributes    TEXT         NOT NULL,  -- the envelope's CloudEvents attributes and extensions, as JSON
    data          BYTEA        NOT NULL,  -- the envelope's payload bytes
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP
);
CREATE INDEX IF NOT EXISTS switchboard_outbox_bucket_id ON switchboard_outbox (bucket, id);

-- Rows the broker refused for good (too large, invalid for it): moved here with the reason, never retried
-- in silence. Put a row back into switchboard_outbox to send it again.
CREATE TABLE IF NOT EXISTS switchboard_outbox_parked (
    id            BIGINT       PRIMARY KEY,
    bucket        INTEGER      NOT NULL,
    topic         VARCHAR(255) NOT NULL,
    event_id      VARCHAR(255) NOT NULL,
    partition_key VARCHAR(255),
    attributes    TEXT         NOT NULL,
    data          BYTEA        NOT NULL,
    created_at    TIMESTAMP WITH TIME ZONE NOT NULL,
    parked_at     TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    reason        VARCHAR(2000) NOT NULL
);

-- Which relay owns which of the 64 buckets, until when (the database's clock). A relay renews its leases
-- while it runs; a lease not renewed (a relay killed) is taken over once expired.
CREATE TABLE IF NOT EXISTS switchboard_outbox_lease (
    bucket     INTEGER     PRIMARY KEY,
    owner      VARCHAR(64),
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The running relays, each seen within its lease time: the buckets are shared evenly among them.
CREATE TABLE IF NOT EXISTS switchboard_outbox_relay (
    relay_id VARCHAR(64) PRIMARY KEY,
    seen_at  TIMESTAMP WITH TIME ZONE NOT NULL
);

-- Events a consumer group has taken (deduplication store and transactional handlers), until expires_at.
CREATE TABLE IF NOT EXISTS switchboard_inbox (
    group_name VARCHAR(255) NOT NULL,
    event_id   VARCHAR(255) NOT NULL,
    claimed_at TIMESTAMP WITH TIME ZONE NOT NULL DEFAULT CURRENT_TIMESTAMP,
    expires_at TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (group_name, event_id)
);
CREATE INDEX IF NOT EXISTS switchboard_inbox_expires_at ON switchboard_inbox (expires_at);
