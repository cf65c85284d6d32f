package io.hearth.shadow.device;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.bus.Bus;
import io.hearth.core.bus.BusClient;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import io.hearth.core.device.DeviceDescription;
import io.hearth.core.device.DeviceId;
import io.hearth.core.device.DeviceTopics;
import io.hearth.core.lifecycle.Health;
import io.hearth.core.lifecycle.HubComponent;
import io.hearth.shadow.ShadowDocument;
import io.hearth.shadow.ShadowException;
import io.hearth.shadow.ShadowMqttApi;
import io.hearth.shadow.ShadowName;
import io.hearth.shadow.ShadowService;
import jakarta.inject.Singleton;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The convenience view of each device under {@code hearth/devices/ID}: {@code state} (retained
 * reported JSON, republished on change), {@code set} (a partial desired state, merged like a shadow
 * update; refusals answered on {@code set/rejected}), {@code availability} and {@code info} (the
 * device's description), both read into the {@link DeviceRegistry}.
 */
@Singleton
public final class DeviceStateTopics implements HubComponent {

    private static final Logger LOG = LoggerFactory.getLogger(DeviceStateTopics.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Bus bus;
    private final ShadowService shadows;
    private final DeviceRegistry registry;
    private volatile BusClient client;

    public DeviceStateTopics(Bus bus, ShadowService shadows, DeviceRegistry registry) {
        this.bus = bus;
        this.shadows = shadows;
        this.registry = registry;
        // Registered now, before any component starts, so no committed change goes unseen.
        shadows.addListener(this::shadowChanged);
    }

    @Override
    public String name() {
        return "device-topics";
    }

    @Override
    public int startOrder() {
        return SHADOWS + 5;
    }

    @Override
    public void start() throws Exception {
        client = bus.connect("shadow-service");
        client.subscribe(DeviceTopics.ALL_INFO, Qos.AT_LEAST_ONCE, this::onInfo).toCompletableFuture().get(5, TimeUnit.SECONDS);
        client.subscribe(DeviceTopics.ALL_AVAILABILITY, Qos.AT_LEAST_ONCE, this::onAvailability)
                .toCompletableFuture().get(5, TimeUnit.SECONDS);
        client.subscribe(DeviceTopics.ALL_SET, Qos.AT_LEAST_ONCE, this::onSet).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        BusClient current = client;
        if (current != null) {
            current.close();
            client = null;
        }
    }

    @Override
    public Health health() {
        return client == null ? Health.starting() : Health.up(Map.of());
    }

    private void onInfo(BusMessage message) {
        DeviceId id = DeviceTopics.deviceOf(message.topic());
        if (id == null || message.payload().length == 0) {
            // An empty retained description is how a binding takes a device away; removal itself
            // goes through DeviceService, which also clears this topic.
            return;
        }
        try {
            DeviceDescription description = JSON.readValue(message.payload(), DeviceDescription.class);
            registry.describe(id, description.name(), description.binding(), description.capabilities());
        } catch (java.io.IOException | IllegalArgumentException e) {
            LOG.warn("Ignoring the description of {}: {}", id, e.getMessage());
        }
    }

    private void onAvailability(BusMessage message) {
        DeviceId id = DeviceTopics.deviceOf(message.topic());
        String text = message.payloadText();
        if (id != null && (text.equals(DeviceTopics.ONLINE) || text.equals(DeviceTopics.OFFLINE))) {
            // A retained message delivered on subscribing is what was said before this start.
            registry.availability(id, text.equals(DeviceTopics.ONLINE), !message.retain());
        }
    }

    private void onSet(BusMessage message) {
        DeviceId id = DeviceTopics.deviceOf(message.topic());
        if (id == null) {
            return;
        }
        JsonNode desired;
        try {
            desired = JSON.readTree(message.payload());
        } catch (JsonProcessingException e) {
            desired = null;
        } catch (java.io.IOException e) {
            desired = null;
        }
        if (desired == null || !desired.isObject()) {
            rejectSet(id, "{\"code\":400,\"message\":\"The payload must be a JSON object of state keys, e.g. {\\\"on\\\":true}\"}");
            return;
        }
        ObjectNode update = JSON.createObjectNode();
        update.putObject("state").set("desired", desired);
        shadows.update(ShadowName.classic(id.value()), update.toString().getBytes(StandardCharsets.UTF_8))
                .whenComplete((ok, failure) -> {
                    if (failure != null) {
                        rejectSet(id, ShadowMqttApi.errorBody(ShadowException.of(failure)).toString());
                    }
                });
    }

    private void rejectSet(DeviceId id, String body) {
        publish(BusMessage.of(DeviceTopics.set(id) + "/rejected", body, Qos.AT_LEAST_ONCE, false));
    }

    /** Keeps {@code hearth/devices/ID/state} equal to the reported state, and the registry's last-seen time. */
    private void shadowChanged(ShadowName name, ShadowDocument previous, ShadowDocument current) {
        if (!name.isClassic() || DeviceId.problem(name.thing()) != null) {
            return;
        }
        DeviceId id = DeviceId.of(name.thing());
        if (current == null) {
            publish(BusMessage.of(DeviceTopics.state(id), new byte[0], Qos.AT_LEAST_ONCE, true));
            return;
        }
        if (previous == null) {
            registry.ensure(id);
        }
        ObjectNode reportedBefore = previous == null ? null : previous.reported();
        if (!Objects.equals(previous == null ? null : previous.reportedMetadata(), current.reportedMetadata())) {
            registry.seen(id);
        }
        if (previous == null || !Objects.equals(reportedBefore, current.reported())) {
            String reported = current.reported() == null ? "{}" : current.reported().toString();
            publish(BusMessage.of(DeviceTopics.state(id), reported, Qos.AT_LEAST_ONCE, true));
        }
    }

    private void publish(BusMessage message) {
        BusClient current = client;
        if (current == null) {
            return;
        }
        current.publish(message).whenComplete((ok, failure) -> {
            if (failure != null) {
                LOG.warn("Publishing {} failed: {}", message.topic(), failure.getMessage());
            }
        });
    }
}
