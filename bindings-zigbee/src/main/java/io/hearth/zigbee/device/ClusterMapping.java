package io.hearth.zigbee.device;

import io.hearth.core.device.StateProperty;
import java.util.List;
import java.util.Optional;

/**
 * Which ZCL attribute carries which key of the state vocabulary, and how its raw value converts.
 * One table for the whole binding, so the README's mapping table and the code cannot drift apart.
 *
 * @param scale attributes that hold the multiplier and divisor of the value, or null when it has none
 * @param optional the key is only offered when the device answers a read of the attribute
 *                 (clusters whose attributes are mostly optional, such as electrical measurement)
 */
public record ClusterMapping(int clusterId, int attributeId, StateProperty property, Conversion conversion,
                             Scale scale, Reporting reporting, boolean optional) {

    public static final int POWER_CONFIGURATION = 0x0001;
    public static final int ON_OFF = 0x0006;
    public static final int LEVEL_CONTROL = 0x0008;
    public static final int COLOR_CONTROL = 0x0300;
    public static final int ILLUMINANCE = 0x0400;
    public static final int TEMPERATURE = 0x0402;
    public static final int PRESSURE = 0x0403;
    public static final int HUMIDITY = 0x0405;
    public static final int OCCUPANCY = 0x0406;
    public static final int IAS_ZONE = 0x0500;
    public static final int METERING = 0x0702;
    public static final int ELECTRICAL_MEASUREMENT = 0x0B04;

    public static final int IAS_ZONE_STATUS = 0x0002;
    public static final int IAS_ZONE_TYPE = 0x0001;

    /** A pair of attributes scaling a reading: value × multiplier ÷ divisor. */
    public record Scale(int multiplierAttribute, int divisorAttribute, int defaultMultiplier, int defaultDivisor) {
    }

    /**
     * What {@code setReporting} asks for: intervals in seconds and the smallest change worth a report,
     * typed as the library encodes the attribute (Long for 48-bit values, Integer otherwise).
     */
    public record Reporting(int minSeconds, int maxSeconds, Object change) {
    }

    private static final List<ClusterMapping> TABLE = List.of(
            new ClusterMapping(ON_OFF, 0x0000, StateProperty.ON, Conversion.BOOLEAN, null,
                    new Reporting(0, 300, null), false),
            new ClusterMapping(LEVEL_CONTROL, 0x0000, StateProperty.BRIGHTNESS, Conversion.LEVEL_PERCENT, null,
                    new Reporting(1, 300, 1), false),
            new ClusterMapping(COLOR_CONTROL, 0x0007, StateProperty.COLOR_TEMP, Conversion.INTEGER, null,
                    new Reporting(1, 300, 1), false),
            new ClusterMapping(TEMPERATURE, 0x0000, StateProperty.TEMPERATURE, Conversion.HUNDREDTHS, null,
                    new Reporting(10, 600, 10), false),
            new ClusterMapping(HUMIDITY, 0x0000, StateProperty.HUMIDITY, Conversion.HUNDREDTHS, null,
                    new Reporting(10, 600, 50), false),
            new ClusterMapping(PRESSURE, 0x0000, StateProperty.PRESSURE, Conversion.INTEGER, null,
                    new Reporting(10, 600, 1), false),
            new ClusterMapping(ILLUMINANCE, 0x0000, StateProperty.ILLUMINANCE, Conversion.LOG_LUX, null,
                    new Reporting(10, 600, 500), false),
            new ClusterMapping(OCCUPANCY, 0x0000, StateProperty.OCCUPANCY, Conversion.BIT_0, null,
                    new Reporting(0, 600, null), false),
            new ClusterMapping(ELECTRICAL_MEASUREMENT, 0x050B, StateProperty.POWER, Conversion.INTEGER,
                    new Scale(0x0604, 0x0605, 1, 1), new Reporting(5, 300, 1), false),
            new ClusterMapping(ELECTRICAL_MEASUREMENT, 0x0505, StateProperty.VOLTAGE, Conversion.INTEGER,
                    new Scale(0x0600, 0x0601, 1, 1), new Reporting(10, 600, 1), true),
            new ClusterMapping(ELECTRICAL_MEASUREMENT, 0x0508, StateProperty.CURRENT, Conversion.INTEGER,
                    new Scale(0x0602, 0x0603, 1, 1000), new Reporting(10, 600, 10), true),
            // Summation is kWh × divisor ÷ multiplier for electricity meters; plugs commonly use 1/1000.
            new ClusterMapping(METERING, 0x0000, StateProperty.ENERGY, Conversion.INTEGER,
                    new Scale(0x0301, 0x0302, 1, 1000), new Reporting(10, 600, 1L), false),
            new ClusterMapping(POWER_CONFIGURATION, 0x0021, StateProperty.BATTERY, Conversion.HALF_PERCENT, null,
                    new Reporting(60, 21_600, 2), false));

    public static List<ClusterMapping> table() {
        return TABLE;
    }

    public static List<ClusterMapping> forCluster(int clusterId) {
        return TABLE.stream().filter(m -> m.clusterId == clusterId).toList();
    }

    public static Optional<ClusterMapping> forProperty(StateProperty property) {
        return TABLE.stream().filter(m -> m.property == property).findFirst();
    }

    /**
     * The key an IAS zone's alarm 1 bit stands for, by zone type: contact switches and door/window
     * sensors report "open" (so {@code contact} is its inverse), motion sensors occupancy, water
     * sensors a leak. Other zone types (fire, vibration, remote controls) are not mapped.
     */
    public static Optional<StateProperty> iasZoneProperty(int zoneType) {
        return switch (zoneType) {
            case 0x0015 -> Optional.of(StateProperty.CONTACT);
            case 0x000D -> Optional.of(StateProperty.OCCUPANCY);
            case 0x002A -> Optional.of(StateProperty.WATER);
            default -> Optional.empty();
        };
    }

    /** The state value of an IAS zone status for a zone mapped to {@code property}. */
    public static boolean iasZoneValue(StateProperty property, int zoneStatus) {
        boolean alarm = (zoneStatus & 0x0001) != 0;
        return property == StateProperty.CONTACT ? !alarm : alarm;
    }
}
