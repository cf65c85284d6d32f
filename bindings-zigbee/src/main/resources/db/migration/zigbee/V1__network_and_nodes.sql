-- The network this hub formed: kept so every start resumes it instead of forming a new one.
CREATE TABLE zigbee_network (
    id               INT PRIMARY KEY,
    channel          INT NOT NULL,
    pan_id           INT NOT NULL,
    extended_pan_id  VARCHAR(16) NOT NULL,
    network_key      VARCHAR(32) NOT NULL,
    formed_at        TIMESTAMP WITH TIME ZONE NOT NULL
);

-- The stack's view of each node (descriptors, endpoints, clusters), as JSON.
CREATE TABLE zigbee_node (
    ieee_address  VARCHAR(16) PRIMARY KEY,
    record        CLOB NOT NULL,
    updated_at    TIMESTAMP WITH TIME ZONE NOT NULL
);
