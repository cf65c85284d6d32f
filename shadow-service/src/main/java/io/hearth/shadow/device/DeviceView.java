package io.hearth.shadow.device;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.device.Capability;
import java.util.List;

/**
 * A device as the REST API shows it: the registry's fields plus its current reported and desired state.
 *
 * @param online null until the device has said whether it is online
 * @param lastSeen ISO-8601 time of the last report or availability message, or null
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record DeviceView(String id, String name, String room, String binding, Boolean online, String lastSeen,
                         List<Capability> capabilities, ObjectNode reported, ObjectNode desired) {
}
