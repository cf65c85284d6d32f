package io.hearth.zigbee;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.zsmartsystems.zigbee.transport.ZigBeeTransportTransmit;
import io.hearth.core.binding.BindingException;
import io.hearth.core.config.FlowControl;
import io.hearth.core.config.ZigbeeConfig;
import io.hearth.core.device.DeviceId;
import io.hearth.core.device.DeviceTopics;
import io.hearth.core.lifecycle.Health;
import io.hearth.core.lifecycle.HealthStatus;
import io.hearth.zigbee.dongle.SerialDongles;
import io.hearth.zigbee.dongle.TransportFactory;
import io.hearth.zigbee.simulated.DemoNetwork;
import io.hearth.zigbee.simulated.SimulatedCoordinator;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
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

    @Test
    void anUnpluggedDongleIsReportedAndTheNetworkComesBackWhenItIsPluggedInAgain() throws Exception {
        Path port = Files.createTempFile("hearth-dongle", "");
        List<SimulatedCoordinator> made = new CopyOnWriteArrayList<>();
        TransportFactory dongle = new TransportFactory() {
            @Override
            public ZigBeeTransportTransmit create() {
                SimulatedCoordinator coordinator = new SimulatedCoordinator(TestOptions.quiet().simulation(), Set::of);
                made.add(coordinator);
                return coordinator;
            }

            @Override
            public String describe() {
                return "test dongle on " + port;
            }

            @Override
            public Optional<Path> port() {
                return Optional.of(port);
            }
        };
        try (HubUnderTest hub = HubUnderTest.start(TestOptions.quiet(), dongle);
             TopicRecorder topics = new TopicRecorder(hub.broker, "hearth/devices/+/availability")) {
            PairingAndRemovalTest.awaitNetwork(hub);

            Files.delete(port);
            Health down = awaitHealth(hub, h -> h.status() == HealthStatus.DOWN);
            assertThat(down.message()).contains(port + " disappeared. Was the dongle unplugged?").contains("Trying again");
            topics.await(DeviceTopics.availability(LAMP), m -> m.payloadText().equals("offline"));
            Health stillDown = awaitHealth(hub, h -> h.message() != null && h.message().contains("does not exist"));
            assertThat(stillDown.message()).contains(port + " does not exist. Is the dongle plugged in?");
            assertThatThrownBy(() -> hub.zigbee.startPairing(Duration.ofSeconds(30))).isInstanceOf(BindingException.class)
                    .hasMessageContaining("Is the dongle plugged in?");
            assertThat(made).as("no driver is built for a port that is not there").hasSize(1);

            Files.createFile(port);
            awaitHealth(hub, h -> h.status() == HealthStatus.UP && hub.zigbee.devices().size() == 5);
            assertThat(made).hasSize(2);
            topics.await(DeviceTopics.availability(LAMP), m -> m.payloadText().equals("online")
                    && topics.on(DeviceTopics.availability(LAMP)).indexOf(m) > 1);
        } finally {
            Files.deleteIfExists(port);
        }
    }

    @Test
    void aRealDongleDriverWhosePortDoesNotExistLeavesTheBindingDownSayingWhatToDoAndRetrying() throws Exception {
        Path missing = Files.createTempDirectory("hearth-no-dongle").resolve("ttyUSB9");
        ZigbeeConfig telegesis = new ZigbeeConfig(ZigbeeConfig.Dongle.TELEGESIS, missing.toString(), 19_200,
                FlowControl.NONE, 0);
        try (HubUnderTest hub = HubUnderTest.start(TestOptions.quiet(), SerialDongles.factory(telegesis))) {
            Health down = awaitHealth(hub, h -> h.status() == HealthStatus.DOWN);
            assertThat(down.message()).matches(java.util.regex.Pattern.quote("telegesis dongle on " + missing + ": "
                    + missing + " does not exist. Is the dongle plugged in? Trying again by itself in ") + "\\d+ s\\.");
            awaitHealth(hub, h -> ((Integer) h.details().get("reconnects")) >= 3);
        } finally {
            Files.deleteIfExists(missing.getParent());
        }
    }

    private static Health awaitHealth(HubUnderTest hub, Predicate<Health> condition) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline) {
            Health health = hub.zigbee.health();
            if (condition.test(health)) {
                return health;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("health never became as expected; last: " + hub.zigbee.health());
    }
}
