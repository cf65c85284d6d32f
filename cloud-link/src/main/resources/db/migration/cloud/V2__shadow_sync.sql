-- mode aws-shadow: per device, the state both sides agreed on at the last sync (the base of the
-- three-way merge), the versions it had on each side, and whether a local change still waits.
CREATE TABLE cloud_sync (
    device_id VARCHAR(200) PRIMARY KEY,
    synced_desired VARCHAR(65536),
    synced_reported VARCHAR(65536),
    local_version BIGINT,
    cloud_version BIGINT,
    dirty BOOLEAN NOT NULL
);
