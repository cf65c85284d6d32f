package io.hearth.serial.device;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.device.DeviceId;
import java.io.IOException;
import java.util.Optional;

/**
 * A shadow delta for one device: the desired keys that differ from reported, as the shadow service
 * publishes them on {@code $aws/things/ID/shadow/update/delta}.
 */
public record Delta(DeviceId device, ObjectNode state) {

    private static final String PREFIX = "$aws/things/";
    private static final String SUFFIX = "/shadow/update/delta";

    /** Reads a delta message; empty when the topic or payload is not a classic shadow delta. */
    public static Optional<Delta> parse(String topic, byte[] payload, ObjectMapper json) {
        if (!topic.startsWith(PREFIX) || !topic.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        String thing = topic.substring(PREFIX.length(), topic.length() - SUFFIX.length());
        if (DeviceId.problem(thing) != null) {
            return Optional.empty();
        }
        try {
            JsonNode document = json.readTree(payload);
            JsonNode state = document == null ? null : document.get("state");
            return state instanceof ObjectNode object ? Optional.of(new Delta(DeviceId.of(thing), object)) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }
}
