package io.hearth.core.device;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The JSON type of a state value. */
public enum ValueType {
    @JsonProperty("boolean") BOOLEAN,
    @JsonProperty("integer") INTEGER,
    @JsonProperty("number") NUMBER
}
