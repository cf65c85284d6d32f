-- The Payload Format Indicator of a kept message (MQTT 5): NULL when the publisher sent none,
-- 0 for unspecified bytes, 1 for UTF-8 text. Forwarded as it came.
ALTER TABLE broker_message ADD COLUMN payload_format TINYINT;
ALTER TABLE broker_retained ADD COLUMN payload_format TINYINT;
