package io.hearth.zigbee;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.device.DeviceId;
import io.hearth.core.device.DeviceTopics;
import io.hearth.core.lifecycle.HealthStatus;
import io.hearth.zigbee.simulated.DemoNetwork;
import io.hearth.zigbee.simulated.SimulatedCoordinator;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class CoordinatorRecoveryTest {

    private static final DeviceId LAMP = DeviceId.zigbee(DemoNetwork.LIVING_ROOM_LAMP);

    @Test
    void aFailedDongleIsReportedInHealthAndTheNetworkComesBackWithoutARestart() throws Exception {
        try (HubUnderTest hub = HubUnderTest.start(TestOptions.quiet());
             TopicRecorder topics = new TopicRecorder(hub.broker, "hearth/devices/+/availability")) {
            PairingAndRemovalTest.awaitNetwork(hub);
            assertThat(hub.zigbee.health().status()).isEqualTo(HealthStatus.UP);
            SimulatedCoordinator first = hub.zigbee.simulator().orElseThrow();

            first.failDongle();

            topics.await(DeviceTopics.availability(LAMP), m -> m.payloadText().equals("offline"));
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            boolean sawDown = false;
            while (System.nanoTime() < deadline) {
                HealthStatus status = hub.zigbee.health().status();
                sawDown |= status == HealthStatus.DOWN;
                if (sawDown && status == HealthStatus.UP && hub.zigbee.devices().size() == 5) {
                    break;
                }
                Thread.sleep(10);
            }
            assertThat(sawDown).isTrue();
            assertThat(hub.zigbee.health().status()).isEqualTo(HealthStatus.UP);
            assertThat(hub.zigbee.health().details()).containsEntry("reconnects", 1);
            assertThat(hub.zigbee.simulator().orElseThrow()).isNotSameAs(first);
            topics.await(DeviceTopics.availability(LAMP), m -> m.payloadText().equals("online")
                    && topics.on(DeviceTopics.availability(LAMP)).indexOf(m) > 1);
        }
    }
}
