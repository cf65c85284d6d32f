-- The hub's own identity: a random id created once, when the database is first made.
-- Later parts use it where the hub must name itself (upstream client id, backups).
CREATE TABLE core_hub (
    id          UUID                     NOT NULL PRIMARY KEY,
    created_at  TIMESTAMP WITH TIME ZONE NOT NULL
);
INSERT INTO core_hub (id, created_at) VALUES (RANDOM_UUID(), CURRENT_TIMESTAMP);
