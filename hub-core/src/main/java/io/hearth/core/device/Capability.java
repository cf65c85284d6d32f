package io.hearth.core.device;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.Objects;

/**
 * One state key a device has, as listed in its {@code capabilities}: type, unit, range and access.
 *
 * @param min lowest accepted value, or null when unbounded (numbers only)
 * @param max highest accepted value, or null when unbounded (numbers only)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Capability(String key, @JsonIgnore StateProperty property, ValueType type, String unit,
                         Double min, Double max, Access access) {

    public Capability {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(property, "property");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(access, "access");
        if (min != null && max != null && min > max) {
            throw new IllegalArgumentException(key + ": min " + min + " is above max " + max);
        }
    }

    /** Reads a capability as it is written in JSON; the key must be in the state vocabulary. */
    @JsonCreator
    public static Capability fromJson(@JsonProperty("key") String key, @JsonProperty("type") ValueType type,
                                      @JsonProperty("unit") String unit, @JsonProperty("min") Double min,
                                      @JsonProperty("max") Double max, @JsonProperty("access") Access access) {
        if (key == null) {
            throw new IllegalArgumentException("a capability needs a key");
        }
        StateProperty property = StateKey.parse(key).map(StateKey::property).orElseThrow(() ->
                new IllegalArgumentException("\"" + key + "\" is not a key of the state vocabulary"));
        return new Capability(key, property, type == null ? property.capability().type() : type, unit, min, max,
                access == null ? property.capability().access() : access);
    }

    public boolean writable() {
        return access == Access.READ_WRITE;
    }

    public Capability withKey(String newKey) {
        return new Capability(newKey, property, type, unit, min, max, access);
    }

    public Capability withRange(Double newMin, Double newMax) {
        return new Capability(key, property, type, unit, newMin, newMax, access);
    }

    public Capability withAccess(Access newAccess) {
        return new Capability(key, property, type, unit, min, max, newAccess);
    }

    /** Returns why {@code value} is not a valid value for this key, or null when it is. */
    public String problemWith(JsonNode value) {
        switch (type) {
            case BOOLEAN -> {
                return value.isBoolean() ? null : key + " must be true or false";
            }
            case INTEGER -> {
                if (!value.isIntegralNumber() && !(value.isNumber() && value.asDouble() == Math.rint(value.asDouble()))) {
                    return key + " must be a whole number";
                }
            }
            case NUMBER -> {
                if (!value.isNumber()) {
                    return key + " must be a number";
                }
            }
        }
        double number = value.asDouble();
        if ((min != null && number < min) || (max != null && number > max)) {
            return key + " must be between " + plain(min) + " and " + plain(max) + (unit == null ? "" : " " + unit);
        }
        return null;
    }

    private static String plain(Double bound) {
        if (bound == null) {
            return "any";
        }
        return bound == Math.rint(bound) ? Long.toString(bound.longValue()) : bound.toString();
    }
}
