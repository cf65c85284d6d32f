-- MySensors nodes each gateway knows: ids it handed out, nodes that presented themselves while
-- pairing was closed (paired = false), and paired nodes with what they presented.
CREATE TABLE serial_node (
    gateway        VARCHAR(32)  NOT NULL,
    node_id        INT          NOT NULL,
    paired         BOOLEAN      NOT NULL,
    sketch_name    VARCHAR(64),
    sketch_version VARCHAR(64),
    -- child:type pairs, e.g. "0:6,1:7", in child order
    children       VARCHAR(2048) NOT NULL DEFAULT '',
    battery        BOOLEAN      NOT NULL DEFAULT FALSE,
    updated_at     TIMESTAMP WITH TIME ZONE NOT NULL,
    PRIMARY KEY (gateway, node_id)
);
