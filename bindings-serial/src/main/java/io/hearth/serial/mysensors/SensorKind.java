package io.hearth.serial.mysensors;

import io.hearth.core.device.StateProperty;
import java.util.List;
import java.util.Optional;

/**
 * The MySensors sensor types ({@code S_} presentation types) the binding maps to the state
 * vocabulary, each with the values it reports. Values a type may also carry but the vocabulary has
 * no key for (forecast, armed, uncalibrated light level) are not listed and are counted when seen.
 */
public enum SensorKind {
    DOOR(0, Reading.ofInverted(Reading.V_TRIPPED, StateProperty.CONTACT)),
    MOTION(1, Reading.of(Reading.V_TRIPPED, StateProperty.OCCUPANCY)),
    BINARY(3, Reading.of(Reading.V_STATUS, StateProperty.ON)),
    DIMMER(4, Reading.of(Reading.V_STATUS, StateProperty.ON), Reading.of(Reading.V_PERCENTAGE, StateProperty.BRIGHTNESS)),
    TEMP(6, Reading.of(Reading.V_TEMP, StateProperty.TEMPERATURE)),
    HUM(7, Reading.of(Reading.V_HUM, StateProperty.HUMIDITY)),
    BARO(8, Reading.of(Reading.V_PRESSURE, StateProperty.PRESSURE)),
    POWER(13, Reading.of(Reading.V_WATT, StateProperty.POWER), Reading.of(Reading.V_KWH, StateProperty.ENERGY)),
    LIGHT_LEVEL(16, Reading.of(Reading.V_LEVEL, StateProperty.ILLUMINANCE)),
    MULTIMETER(30, Reading.of(Reading.V_VOLTAGE, StateProperty.VOLTAGE), Reading.of(Reading.V_CURRENT, StateProperty.CURRENT)),
    WATER_LEAK(32, Reading.of(Reading.V_TRIPPED, StateProperty.WATER));

    /** The node itself (plain and repeater nodes) rather than one of its sensors. */
    static final int ARDUINO_NODE = 17;
    static final int ARDUINO_REPEATER_NODE = 18;

    private final int code;
    private final List<Reading> readings;

    SensorKind(int code, Reading... readings) {
        this.code = code;
        this.readings = List.of(readings);
    }

    public int code() {
        return code;
    }

    public List<Reading> readings() {
        return readings;
    }

    public static Optional<SensorKind> of(int code) {
        for (SensorKind kind : values()) {
            if (kind.code == code) {
                return Optional.of(kind);
            }
        }
        return Optional.empty();
    }
}
