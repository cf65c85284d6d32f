package io.hearth.core.config;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Serial flow control, for Zigbee dongles and serial gateways alike. */
public enum FlowControl {
    @JsonProperty("none") NONE,
    @JsonProperty("hardware") HARDWARE,
    @JsonProperty("software") SOFTWARE
}
