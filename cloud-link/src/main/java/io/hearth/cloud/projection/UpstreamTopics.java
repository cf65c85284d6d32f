package io.hearth.cloud.projection;

import java.util.List;

/**
 * The upstream names of the hub's shadows: the hub is the thing {@code thingName}, its own status
 * is that thing's classic shadow, and each local device is the named shadow with the device's id.
 * All of them live under {@code root}, {@code $aws} unless the cloud broker refuses {@code $} topics.
 */
public record UpstreamTopics(String root, String thingName) {

    /** A shadow request the cloud sent: {@code device} is null for the hub's own shadow. */
    public record Request(String device, String operation) {
    }

    public String hubPrefix() {
        return root + "/things/" + thingName + "/shadow";
    }

    public String devicePrefix(String device) {
        return hubPrefix() + "/name/" + device;
    }

    public String prefixFor(String deviceOrNull) {
        return deviceOrNull == null ? hubPrefix() : devicePrefix(deviceOrNull);
    }

    /** Exact filters rather than {@code shadow/#}: on MQTT 3.1.1 a wildcard would echo the hub's own answers back. */
    public List<String> requestFilters() {
        return List.of(hubPrefix() + "/get", hubPrefix() + "/update", hubPrefix() + "/delete",
                hubPrefix() + "/name/+/get", hubPrefix() + "/name/+/update", hubPrefix() + "/name/+/delete");
    }

    /** The request a topic carries, or null when it is not one of the hub's request topics. */
    public Request parse(String topic) {
        String prefix = hubPrefix() + "/";
        if (!topic.startsWith(prefix)) {
            return null;
        }
        String[] rest = topic.substring(prefix.length()).split("/", -1);
        if (rest.length == 1 && isOperation(rest[0])) {
            return new Request(null, rest[0]);
        }
        if (rest.length == 3 && rest[0].equals("name") && isOperation(rest[2]) && !rest[1].isEmpty()) {
            return new Request(rest[1], rest[2]);
        }
        return null;
    }

    private static boolean isOperation(String level) {
        return level.equals("get") || level.equals("update") || level.equals("delete");
    }
}
