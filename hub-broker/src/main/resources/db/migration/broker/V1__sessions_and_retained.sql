-- Sessions that outlive their connection (Session Expiry Interval > 0, or MQTT 3.1.1 clean session 0).
CREATE TABLE broker_session (
    client_id       VARCHAR(256)  NOT NULL PRIMARY KEY,
    identity        VARCHAR(256)  NOT NULL,
    expiry_seconds  BIGINT        NOT NULL
);

CREATE TABLE broker_subscription (
    client_id            VARCHAR(256)   NOT NULL,
    share_group          VARCHAR(256)   NOT NULL,
    filter               VARCHAR(65535) NOT NULL,
    qos                  TINYINT        NOT NULL,
    no_local             BOOLEAN        NOT NULL,
    retain_as_published  BOOLEAN        NOT NULL,
    retain_handling      TINYINT        NOT NULL,
    identifier           INT            NOT NULL,
    PRIMARY KEY (client_id, share_group, filter)
);

-- QoS 1 and 2 messages a persistent session has not finished delivering: queued (packet_id NULL),
-- sent (packet_id set) or, for QoS 2, received by the client (released = TRUE, PUBREL pending).
CREATE TABLE broker_message (
    client_id         VARCHAR(256)   NOT NULL,
    seq               BIGINT         NOT NULL,
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
    PRIMARY KEY (client_id, seq)
);

CREATE TABLE broker_retained (
    topic             VARCHAR(65535) NOT NULL PRIMARY KEY,
    payload           VARBINARY      NOT NULL,
    qos               TINYINT        NOT NULL,
    expires_at        BIGINT,
    content_type      VARCHAR(65535),
    response_topic    VARCHAR(65535),
    correlation_data  VARBINARY,
    user_properties   VARCHAR(1000000)
);
