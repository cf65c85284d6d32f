package io.hearth.zigbee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.core.binding.BindingException;
import io.hearth.core.binding.PairingStatus;
import io.hearth.core.device.DeviceId;
import io.hearth.core.device.DeviceTopics;
import io.hearth.zigbee.simulated.DemoNetwork;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class PairingAndRemovalTest {

    private static final DeviceId NEW_BULB = DeviceId.zigbee(DemoNetwork.NEW_BULB);
    private static final DeviceId DOOR = DeviceId.zigbee(DemoNetwork.FRONT_DOOR);

    @Test
    void openingPairingLetsTheNewBulbJoinAndListsItAsJoined() throws Exception {
        try (HubUnderTest hub = HubUnderTest.start(TestOptions.quiet());
             TopicRecorder topics = new TopicRecorder(hub.broker, "hearth/devices/#")) {
            awaitNetwork(hub);
            assertThat(hub.zigbee.pairingStatus().open()).isFalse();

            PairingStatus opened = hub.zigbee.startPairing(Duration.ofSeconds(60));
            assertThat(opened.open()).isTrue();
            assertThat(opened.secondsLeft()).isBetween(59L, 60L);
            assertThat(opened.joined()).isEmpty();

            assertThat(TopicRecorder.json(topics.await(DeviceTopics.info(NEW_BULB), m -> true)).path("name").asText())
                    .isEqualTo("New bulb");
            topics.await(DeviceTopics.availability(NEW_BULB), m -> m.payloadText().equals("online"));
            awaitJoined(hub, NEW_BULB);

            PairingStatus closed = hub.zigbee.stopPairing();
            assertThat(closed.open()).isFalse();
            assertThat(closed.joined()).containsExactly(NEW_BULB);

            // One permit-join request opens the network for at most 254 s.
            assertThat(hub.zigbee.startPairing(Duration.ofMinutes(10)).secondsLeft()).isLessThanOrEqualTo(254);
            hub.zigbee.stopPairing();
        }
    }

    @Test
    void removingADeviceMakesItLeaveAndClearsItsRetainedTopics() throws Exception {
        try (HubUnderTest hub = HubUnderTest.start(TestOptions.quiet());
             TopicRecorder topics = new TopicRecorder(hub.broker, "hearth/devices/#")) {
            awaitNetwork(hub);
            topics.await(DeviceTopics.availability(DOOR), m -> m.payloadText().equals("online"));

            hub.zigbee.remove(DOOR);

            topics.await(DeviceTopics.info(DOOR), m -> m.payload().length == 0);
            topics.await(DeviceTopics.availability(DOOR), m -> m.payload().length == 0);
            long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
            while (hub.zigbee.devices().containsKey(DOOR) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(hub.zigbee.devices()).doesNotContainKey(DOOR).hasSize(4);
            try (TopicRecorder late = new TopicRecorder(hub.broker, "hearth/devices/+/info")) {
                Thread.sleep(200);
                assertThat(late.on(DeviceTopics.info(DOOR))).isEmpty();
            }
            assertThatThrownBy(() -> hub.zigbee.remove(DOOR)).isInstanceOf(BindingException.class)
                    .hasMessageContaining("no Zigbee device");
        }
    }

    private static void awaitJoined(HubUnderTest hub, DeviceId device) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!hub.zigbee.pairingStatus().joined().contains(device) && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(hub.zigbee.pairingStatus().joined()).contains(device);
    }

    static void awaitNetwork(HubUnderTest hub) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (hub.zigbee.devices().size() < 5 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(hub.zigbee.devices()).hasSize(5);
    }
}
