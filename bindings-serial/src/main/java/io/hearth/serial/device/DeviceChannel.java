package io.hearth.serial.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.bus.BusClient;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import io.hearth.core.device.DeviceDescription;
import io.hearth.core.device.DeviceId;
import io.hearth.core.device.DeviceTopics;
import java.util.Collection;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Speaks for the binding's devices on the bus, exactly as a device that talks MQTT itself would:
 * its description, reported state, confirmations of desired state, availability and removal.
 */
public final class DeviceChannel {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceChannel.class);
    public static final String BINDING = "serial";

    private final BusClient bus;
    private final ObjectMapper json;

    public DeviceChannel(BusClient bus, ObjectMapper json) {
        this.bus = bus;
        this.json = json;
    }

    public void describe(DeviceId device, DeviceDescription description) {
        try {
            publish(DeviceTopics.info(device), json.writeValueAsString(description), true);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a device description must serialize", e);
        }
    }

    /** Publishes {@code {"state":{"reported":{...}}}}; nothing when {@code reported} is empty. */
    public void report(DeviceId device, ObjectNode reported) {
        confirm(device, reported, java.util.List.of());
    }

    /**
     * Reports values and clears the desired keys they meet:
     * {@code {"state":{"reported":{"on":true},"desired":{"on":null}}}}.
     */
    public void confirm(DeviceId device, ObjectNode reported, Collection<String> metDesired) {
        if (reported.isEmpty() && metDesired.isEmpty()) {
            return;
        }
        ObjectNode state = JsonNodeFactory.instance.objectNode();
        state.set("reported", reported);
        if (!metDesired.isEmpty()) {
            ObjectNode desired = state.putObject("desired");
            metDesired.forEach(desired::putNull);
        }
        ObjectNode document = JsonNodeFactory.instance.objectNode();
        document.set("state", state);
        publish(DeviceTopics.shadowUpdate(device), document.toString(), false);
    }

    public void availability(DeviceId device, boolean online) {
        publish(DeviceTopics.availability(device), online ? DeviceTopics.ONLINE : DeviceTopics.OFFLINE, true);
    }

    /** Clears the retained description and availability, so the device is gone for every listener. */
    public void forget(DeviceId device) {
        publish(DeviceTopics.info(device), "", true);
        publish(DeviceTopics.availability(device), "", true);
    }

    private CompletionStage<Void> publish(String topic, String payload, boolean retain) {
        return bus.publish(BusMessage.of(topic, payload, Qos.AT_LEAST_ONCE, retain)).whenComplete((done, failure) -> {
            if (failure != null) {
                LOG.warn("Publishing to {} failed: {}", topic, failure.getMessage());
            }
        });
    }
}
