package io.hearth.core.device;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a state key can only be reported by the device, or also be set through desired state. */
public enum Access {
    @JsonProperty("read") READ,
    @JsonProperty("read-write") READ_WRITE
}
