package io.hearth.core.bus;

import java.util.Objects;

/** An MQTT 5 user property. Names may repeat within one message, and order is kept. */
public record UserProperty(String name, String value) {

    public UserProperty {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(value, "value");
    }
}
