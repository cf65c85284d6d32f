-- Every shadow, classic (shadow = '') and named. A deleted shadow keeps its row so that its
-- version goes on counting when it is created again.
CREATE TABLE shadow_document (
    thing      VARCHAR(128) NOT NULL,
    shadow     VARCHAR(64)  NOT NULL,
    version    BIGINT       NOT NULL,
    deleted    BOOLEAN      NOT NULL,
    state      VARCHAR(262144),
    metadata   VARCHAR(262144),
    updated_at BIGINT       NOT NULL,
    PRIMARY KEY (thing, shadow)
);

-- Reported numeric and boolean values over time, for charts. Rows older than a day are rolled
-- up into one per property and quarter hour (rollup = TRUE); rows past retention are deleted.
CREATE TABLE shadow_history (
    device_id VARCHAR(128)     NOT NULL,
    property  VARCHAR(64)      NOT NULL,
    t         BIGINT           NOT NULL,
    v         DOUBLE PRECISION NOT NULL,
    is_bool   BOOLEAN          NOT NULL,
    rollup    BOOLEAN          NOT NULL DEFAULT FALSE
);
CREATE INDEX shadow_history_by_property ON shadow_history (device_id, property, t);
CREATE INDEX shadow_history_by_time ON shadow_history (rollup, t);

-- The device registry: what a device says about itself (described_name, binding, capabilities)
-- and what the homeowner set (name, room).
CREATE TABLE device_registry (
    id             VARCHAR(128) PRIMARY KEY,
    name           VARCHAR(200),
    room           VARCHAR(200),
    described_name VARCHAR(200),
    binding        VARCHAR(64),
    capabilities   VARCHAR(65536),
    online         BOOLEAN,
    last_seen      BIGINT,
    created_at     BIGINT       NOT NULL
);
