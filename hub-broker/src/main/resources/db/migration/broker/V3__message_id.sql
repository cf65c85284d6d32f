-- Queued and in-flight messages keyed by one hub-wide number instead of (client_id, seq): a single
-- BIGINT key is H2's row key itself, so a message costs one index entry, not two, and its updates
-- and deletes find it directly. Ordering by id keeps each session's order, as seq did.
CREATE TABLE broker_message_by_id (
    id                BIGINT         NOT NULL PRIMARY KEY,
    client_id         VARCHAR(256)   NOT NULL,
    packet_id         INT,
    released          BOOLEAN        NOT NULL DEFAULT FALSE,
    topic             VARCHAR(65535) NOT NULL,
    payload           VARBINARY      NOT NULL,
    qos               TINYINT        NOT NULL,
    retain            BOOLEAN        NOT NULL,
    expires_at        BIGINT,
    content_type      VARCHAR(65535),
    response_topic    VARCHAR(65535),
    correlation_data  VARBINARY,
    user_properties   VARCHAR(1000000),
    subscription_ids  VARCHAR(1000),
    payload_format    TINYINT
);

INSERT INTO broker_message_by_id (id, client_id, packet_id, released, topic, payload, qos, retain, expires_at,
        content_type, response_topic, correlation_data, user_properties, subscription_ids, payload_format)
    SELECT ROW_NUMBER() OVER (ORDER BY client_id, seq), client_id, packet_id, released, topic, payload, qos, retain,
        expires_at, content_type, response_topic, correlation_data, user_properties, subscription_ids, payload_format
    FROM broker_message;

DROP TABLE broker_message;
ALTER TABLE broker_message_by_id RENAME TO broker_message;
