package io.hearth.core.device;

import com.fasterxml.jackson.annotation.JsonProperty;

/** Whether a state key can only be reported by the device ("read"), or also be set through desired state ("write"). */
public enum Access {
    @JsonProperty("read") READ,
    @JsonProperty("write") READ_WRITE
}
