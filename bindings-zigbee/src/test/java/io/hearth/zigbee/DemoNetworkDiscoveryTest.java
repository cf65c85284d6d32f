package io.hearth.zigbee;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.core.device.DeviceId;
import io.hearth.core.device.DeviceTopics;
import io.hearth.zigbee.simulated.DemoNetwork;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DemoNetworkDiscoveryTest {

    private static final Map<Long, String> NAMES = Map.of(
            DemoNetwork.LIVING_ROOM_LAMP, "Living room lamp",
            DemoNetwork.KITCHEN_PLUG, "Kitchen plug",
            DemoNetwork.HALLWAY_CLIMATE, "Hallway climate",
            DemoNetwork.FRONT_DOOR, "Front door",
            DemoNetwork.HALL_MOTION, "Hall motion");

    private static final Map<Long, List<String>> KEYS = Map.of(
            DemoNetwork.LIVING_ROOM_LAMP, List.of("on", "brightness", "colorTemp"),
            DemoNetwork.KITCHEN_PLUG, List.of("on", "power", "energy"),
            DemoNetwork.HALLWAY_CLIMATE, List.of("battery", "temperature", "humidity"),
            DemoNetwork.FRONT_DOOR, List.of("battery", "contact"),
            DemoNetwork.HALL_MOTION, List.of("battery", "occupancy", "illuminance"));

    private static HubUnderTest hub;
    private static TopicRecorder topics;

    @BeforeAll
    static void startNetwork() throws Exception {
        hub = HubUnderTest.start(TestOptions.quiet());
        topics = new TopicRecorder(hub.broker, "hearth/devices/#");
    }

    @AfterAll
    static void stopNetwork() {
        topics.close();
        hub.close();
    }

    @Test
    @Order(1)
    void everyDemoDeviceIsDiscoveredDescribedAndOnlineWithinFiveSeconds() throws Exception {
        for (Map.Entry<Long, String> device : NAMES.entrySet()) {
            DeviceId id = DeviceId.zigbee(device.getKey());
            JsonNode info = TopicRecorder.json(topics.await(DeviceTopics.info(id), m -> true, Duration.ofSeconds(5)));
            assertThat(info.path("name").asText()).isEqualTo(device.getValue());
            assertThat(info.path("binding").asText()).isEqualTo("zigbee");
            List<String> keys = new ArrayList<>();
            info.path("capabilities").forEach(c -> keys.add(c.path("key").asText()));
            assertThat(keys).containsExactlyInAnyOrderElementsOf(KEYS.get(device.getKey()));
            assertThat(topics.await(DeviceTopics.availability(id), m -> true).payloadText()).isEqualTo("online");
        }
        assertThat(topics.on(DeviceTopics.info(DeviceId.zigbee(DemoNetwork.NEW_BULB)))).isEmpty();
    }

    @Test
    void writableKeysAreDescribedAsWritableWithTheirVocabularyRange() throws Exception {
        JsonNode info = TopicRecorder.json(topics.await(
                DeviceTopics.info(DeviceId.zigbee(DemoNetwork.LIVING_ROOM_LAMP)), m -> true));
        JsonNode brightness = null;
        for (JsonNode capability : info.path("capabilities")) {
            if (capability.path("key").asText().equals("brightness")) {
                brightness = capability;
            }
        }
        assertThat(brightness).isNotNull();
        assertThat(brightness.path("access").asText()).isEqualTo("write");
        assertThat(brightness.path("unit").asText()).isEqualTo("%");
        assertThat(brightness.path("max").asDouble()).isEqualTo(100.0);
        JsonNode colorTemp = null;
        for (JsonNode capability : info.path("capabilities")) {
            if (capability.path("key").asText().equals("colorTemp")) {
                colorTemp = capability;
            }
        }
        // The bulb's own warmest and coldest white, not the vocabulary's widest range.
        assertThat(colorTemp.path("min").asDouble()).isEqualTo(153.0);
        assertThat(colorTemp.path("max").asDouble()).isEqualTo(454.0);
    }
}
