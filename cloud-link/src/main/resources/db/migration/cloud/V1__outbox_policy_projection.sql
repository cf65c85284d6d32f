-- Messages waiting for the cloud's acknowledgement, one row per key (a device's documents, its
-- delta, the hub's own shadow): a newer change replaces the older one, so only the latest state of
-- each device is sent after an outage. seq orders delivery and tells a replaced row from the one in flight.
CREATE TABLE cloud_outbox (
    entry_key VARCHAR(200) PRIMARY KEY,
    seq BIGINT NOT NULL,
    topic VARCHAR(400) NOT NULL,
    payload VARBINARY(1048576) NOT NULL
);

-- The owner's choice per device; a device without a row follows the defaults.
CREATE TABLE cloud_device_policy (
    device_id VARCHAR(200) PRIMARY KEY,
    visible BOOLEAN NOT NULL,
    control BOOLEAN NOT NULL
);

-- The last version of each shadow handed to the outbox, so a start after downtime queues only the
-- shadows that changed meanwhile instead of resending everything.
CREATE TABLE cloud_projected (
    shadow_key VARCHAR(200) PRIMARY KEY,
    version BIGINT NOT NULL
);
