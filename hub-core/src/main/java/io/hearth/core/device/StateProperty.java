package io.hearth.core.device;

import java.util.Optional;

/**
 * The state vocabulary: every key a device's desired or reported state may hold, with the same
 * meaning whatever binding the device comes from. Ranges are the widest sensible ones; a device's
 * {@link Capability} may narrow them.
 */
public enum StateProperty {
    ON("on", ValueType.BOOLEAN, null, null, null, Access.READ_WRITE),
    BRIGHTNESS("brightness", ValueType.NUMBER, "%", 0.0, 100.0, Access.READ_WRITE),
    COLOR_TEMP("colorTemp", ValueType.INTEGER, "mired", 50.0, 1000.0, Access.READ_WRITE),
    TEMPERATURE("temperature", ValueType.NUMBER, "°C", -273.15, 1000.0, Access.READ),
    HUMIDITY("humidity", ValueType.NUMBER, "%", 0.0, 100.0, Access.READ),
    PRESSURE("pressure", ValueType.NUMBER, "hPa", 0.0, 2000.0, Access.READ),
    ILLUMINANCE("illuminance", ValueType.NUMBER, "lx", 0.0, 200_000.0, Access.READ),
    /** True when the contact is closed (door shut). */
    CONTACT("contact", ValueType.BOOLEAN, null, null, null, Access.READ),
    OCCUPANCY("occupancy", ValueType.BOOLEAN, null, null, null, Access.READ),
    /** True when a leak is detected. */
    WATER("water", ValueType.BOOLEAN, null, null, null, Access.READ),
    POWER("power", ValueType.NUMBER, "W", null, null, Access.READ),
    ENERGY("energy", ValueType.NUMBER, "kWh", 0.0, null, Access.READ),
    VOLTAGE("voltage", ValueType.NUMBER, "V", 0.0, null, Access.READ),
    CURRENT("current", ValueType.NUMBER, "A", null, null, Access.READ),
    /** A gas meter's total, in cubic metres. */
    GAS("gas", ValueType.NUMBER, "m³", 0.0, null, Access.READ),
    BATTERY("battery", ValueType.NUMBER, "%", 0.0, 100.0, Access.READ),
    LINK_QUALITY("linkQuality", ValueType.INTEGER, null, 0.0, 255.0, Access.READ);

    private final String key;
    private final ValueType type;
    private final String unit;
    private final Double min;
    private final Double max;
    private final Access access;

    StateProperty(String key, ValueType type, String unit, Double min, Double max, Access access) {
        this.key = key;
        this.type = type;
        this.unit = unit;
        this.min = min;
        this.max = max;
        this.access = access;
    }

    public String key() {
        return key;
    }

    /** The capability of a device's first (or only) part with this property, with the vocabulary's defaults. */
    public Capability capability() {
        return new Capability(key, this, type, unit, min, max, access);
    }

    /** The capability of part {@code part} (2, 3, …) of a device with several parts of this kind. */
    public Capability capability(int part) {
        return capability().withKey(StateKey.of(this, part).toString());
    }

    public static Optional<StateProperty> byKey(String key) {
        for (StateProperty property : values()) {
            if (property.key.equals(key)) {
                return Optional.of(property);
            }
        }
        return Optional.empty();
    }
}
