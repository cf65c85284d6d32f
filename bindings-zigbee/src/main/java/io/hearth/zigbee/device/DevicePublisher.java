package io.hearth.zigbee.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.bus.BusClient;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import io.hearth.core.device.DeviceDescription;
import io.hearth.core.device.DeviceId;
import io.hearth.core.device.DeviceTopics;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Everything the binding says about its devices on the bus, in the shapes the shadow service
 * expects: the retained description, reported state (clearing met desired keys in the same
 * update), retained availability, and the empty retained messages that forget a device.
 */
public final class DevicePublisher {

    private static final Logger LOG = LoggerFactory.getLogger(DevicePublisher.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final BusClient client;
    private final AtomicLong refused = new AtomicLong();

    public DevicePublisher(BusClient client) {
        this.client = client;
    }

    public void describe(DeviceId device, DeviceDescription description) {
        try {
            publish(BusMessage.of(DeviceTopics.info(device), JSON.writeValueAsBytes(description), Qos.AT_LEAST_ONCE, true));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a device description is always serializable", e);
        }
    }

    /** Publishes reported values; keys in {@code met} also get their desired value cleared. */
    public void report(DeviceId device, Map<String, Object> reported, Set<String> met) {
        ObjectNode state = JSON.createObjectNode();
        ObjectNode reportedNode = state.putObject("reported");
        reported.forEach((key, value) -> reportedNode.set(key, JSON.valueToTree(value)));
        if (!met.isEmpty()) {
            ObjectNode desired = state.putObject("desired");
            met.forEach(desired::putNull);
        }
        ObjectNode document = JSON.createObjectNode();
        document.set("state", state);
        publish(BusMessage.of(DeviceTopics.shadowUpdate(device), document.toString().getBytes(StandardCharsets.UTF_8),
                Qos.AT_LEAST_ONCE, false));
    }

    public void availability(DeviceId device, boolean online) {
        publish(BusMessage.of(DeviceTopics.availability(device), online ? DeviceTopics.ONLINE : DeviceTopics.OFFLINE,
                Qos.AT_LEAST_ONCE, true));
    }

    /** Removes the device's retained description and availability, as a removed device should leave nothing behind. */
    public void forget(DeviceId device) {
        publish(BusMessage.of(DeviceTopics.info(device), new byte[0], Qos.AT_LEAST_ONCE, true));
        publish(BusMessage.of(DeviceTopics.availability(device), new byte[0], Qos.AT_LEAST_ONCE, true));
    }

    /** Publishes the broker refused or failed; shown in the binding's health. */
    public long refused() {
        return refused.get();
    }

    private void publish(BusMessage message) {
        client.publish(message).whenComplete((ok, failure) -> {
            if (failure != null) {
                refused.incrementAndGet();
                LOG.warn("Publishing to {} failed: {}", message.topic(), failure.getMessage());
            }
        });
    }
}
