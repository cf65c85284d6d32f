package io.hearth.core.device;

import java.util.Locale;

/**
 * A device's id, which is also its thing name in the shadow API. Bindings derive ids from the
 * hardware address ({@code zigbee-00124b0001a2b3c4}, {@code mysensors-ms1-7}, {@code dsmr-meter});
 * devices that speak MQTT themselves use their credential's name.
 */
public record DeviceId(String value) implements Comparable<DeviceId> {

    /** The most characters AWS IoT allows in a thing name. */
    private static final int MAX_LENGTH = 128;

    public DeviceId {
        String problem = problem(value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    /** Returns why {@code candidate} cannot be a device id, or null when it can. */
    public static String problem(String candidate) {
        if (candidate == null || candidate.isEmpty()) {
            return "a device id must not be empty";
        }
        if (candidate.length() > MAX_LENGTH || !thingNameCharacters(candidate)) {
            return "\"" + candidate + "\" is not a valid device id: use 1 to 128 letters, digits, ':', '_' or '-'";
        }
        return null;
    }

    /**
     * Letters, digits, ':', '_' and '-', the characters AWS IoT allows in a thing name; all are
     * usable as an MQTT topic level. Checked by hand: this runs for every shadow change.
     */
    private static boolean thingNameCharacters(String candidate) {
        for (int i = 0; i < candidate.length(); i++) {
            char c = candidate.charAt(i);
            boolean allowed = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                    || c == ':' || c == '_' || c == '-';
            if (!allowed) {
                return false;
            }
        }
        return true;
    }

    public static DeviceId of(String value) {
        return new DeviceId(value);
    }

    public static DeviceId zigbee(long ieeeAddress) {
        return new DeviceId(String.format(Locale.ROOT, "zigbee-%016x", ieeeAddress));
    }

    public static DeviceId mysensors(String gatewayId, int nodeId) {
        return new DeviceId("mysensors-" + gatewayId + "-" + nodeId);
    }

    public static DeviceId dsmr(String gatewayId) {
        return new DeviceId("dsmr-" + gatewayId);
    }

    @Override
    public int compareTo(DeviceId other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
