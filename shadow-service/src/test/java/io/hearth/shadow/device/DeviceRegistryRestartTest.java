package io.hearth.shadow.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.device.DeviceId;
import io.hearth.core.device.StateProperty;
import io.hearth.core.store.Store;
import io.hearth.shadow.RunningShadows;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** What the registry keeps across a restart, read back from H2 rather than from memory. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeviceRegistryRestartTest {

    private static final DeviceId SENSOR = DeviceId.of("garden-sensor"); // speaks MQTT itself: no capabilities
    private static final DeviceId LAMP = DeviceId.of("zigbee-00124b0001a2b3c4");

    private RunningShadows hub;

    @AfterEach
    void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void availabilityComesBackAsItWasStoredWithOrWithoutCapabilities() throws Exception {
        hub = RunningShadows.start();
        DeviceRegistry registry = hub.bean(DeviceRegistry.class);
        registry.ensure(SENSOR).get(5, TimeUnit.SECONDS);
        registry.availability(SENSOR, true, true);
        registry.describe(LAMP, "Lamp", "zigbee", List.of(StateProperty.ON.capability())).get(5, TimeUnit.SECONDS);
        hub.bean(Store.class).journal().flush();

        hub = hub.restart();
        DeviceRegistry restarted = hub.bean(DeviceRegistry.class);
        assertThat(restarted.find(SENSOR).orElseThrow().online()).as("online, with no capabilities stored").isTrue();
        assertThat(restarted.find(LAMP).orElseThrow().online()).as("never said, with capabilities stored").isNull();
        assertThat(restarted.find(LAMP).orElseThrow().capabilities()).hasSize(1);
    }
}
