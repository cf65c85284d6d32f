package io.hearth.core.device;

/**
 * The topics through which a device's state travels: the AWS-IoT-compatible shadow topics of its
 * classic shadow, and the convenience topics under {@code hearth/devices/ID}. Bindings use exactly
 * these, as a device speaking MQTT itself would.
 */
public final class DeviceTopics {

    /** Every device's retained description (JSON {@link DeviceDescription}). */
    public static final String ALL_INFO = "hearth/devices/+/info";
    /** Every device's retained availability ({@code online} / {@code offline}). */
    public static final String ALL_AVAILABILITY = "hearth/devices/+/availability";
    /** Partial desired state for every device. */
    public static final String ALL_SET = "hearth/devices/+/set";
    public static final String ONLINE = "online";
    public static final String OFFLINE = "offline";

    private DeviceTopics() {
    }

    /** Where a device (or its binding) publishes {@code {"state":{"reported":{...}}}}. */
    public static String shadowUpdate(DeviceId device) {
        return shadowPrefix(device) + "/update";
    }

    /** Where the shadow service publishes the difference between desired and reported state. */
    public static String shadowDelta(DeviceId device) {
        return shadowPrefix(device) + "/update/delta";
    }

    /** The classic shadow's topic prefix, {@code $aws/things/ID/shadow}. */
    public static String shadowPrefix(DeviceId device) {
        return "$aws/things/" + device.value() + "/shadow";
    }

    public static String state(DeviceId device) {
        return base(device) + "/state";
    }

    public static String set(DeviceId device) {
        return base(device) + "/set";
    }

    public static String availability(DeviceId device) {
        return base(device) + "/availability";
    }

    public static String info(DeviceId device) {
        return base(device) + "/info";
    }

    /** The device id in a {@code hearth/devices/ID/...} topic, or null when the topic is not one. */
    public static DeviceId deviceOf(String topic) {
        if (!topic.startsWith("hearth/devices/")) {
            return null;
        }
        int end = topic.indexOf('/', "hearth/devices/".length());
        String id = end < 0 ? null : topic.substring("hearth/devices/".length(), end);
        return id == null || DeviceId.problem(id) != null ? null : DeviceId.of(id);
    }

    private static String base(DeviceId device) {
        return "hearth/devices/" + device.value();
    }
}
