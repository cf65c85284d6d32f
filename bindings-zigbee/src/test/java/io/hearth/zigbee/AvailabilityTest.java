package io.hearth.zigbee;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.device.DeviceId;
import io.hearth.core.device.DeviceTopics;
import io.hearth.core.testing.MovableClock;
import io.hearth.zigbee.simulated.DemoNetwork;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class AvailabilityTest {

    private static final DeviceId LAMP = DeviceId.zigbee(DemoNetwork.LIVING_ROOM_LAMP);
    private static final DeviceId PLUG = DeviceId.zigbee(DemoNetwork.KITCHEN_PLUG);
    private static final DeviceId CLIMATE = DeviceId.zigbee(DemoNetwork.HALLWAY_CLIMATE);
    private static final DeviceId DOOR = DeviceId.zigbee(DemoNetwork.FRONT_DOOR);

    @Test
    void aSilentMainsDeviceIsPingedAfterTenMinutesAndGoesOfflineWhenThePingIsNotAnswered() throws Exception {
        MovableClock clock = new MovableClock();
        try (HubUnderTest hub = HubUnderTest.start(TestOptions.quiet(clock));
             TopicRecorder topics = new TopicRecorder(hub.broker, "hearth/devices/+/availability")) {
            PairingAndRemovalTest.awaitNetwork(hub);
            awaitQuiet(hub, clock);
            hub.zigbee.simulator().orElseThrow().setSilent(DemoNetwork.LIVING_ROOM_LAMP, true);

            clock.advance(Duration.ofMinutes(9));
            checkAndSettle(hub);
            assertThat(hub.zigbee.devices().get(LAMP).online()).isTrue();

            clock.advance(Duration.ofMinutes(2));
            checkAndSettle(hub);
            // The plug is as silent as the lamp but answers its ping: it stays online.
            assertThat(hub.zigbee.devices().get(PLUG).online()).isTrue();
            clock.advance(Duration.ofSeconds(31));
            checkAndSettle(hub);

            topics.await(DeviceTopics.availability(LAMP), m -> m.payloadText().equals("offline"));
            try (TopicRecorder late = new TopicRecorder(hub.broker, DeviceTopics.availability(LAMP))) {
                late.await(DeviceTopics.availability(LAMP), m -> m.payloadText().equals("offline"));
            }
            assertThat(hub.zigbee.devices().get(PLUG).online()).isTrue();
            assertThat(topics.on(DeviceTopics.availability(PLUG))).noneMatch(m -> m.payloadText().equals("offline"));

            hub.zigbee.simulator().orElseThrow().setSilent(DemoNetwork.LIVING_ROOM_LAMP, false);
            hub.zigbee.simulator().orElseThrow().change(DemoNetwork.LIVING_ROOM_LAMP, 0x0006, 0x0000, true);
            topics.await(DeviceTopics.availability(LAMP), m -> m.payloadText().equals("online")
                    && topics.on(DeviceTopics.availability(LAMP)).indexOf(m) > 0);
        }
    }

    @Test
    void aBatteryDeviceGoesOfflineOnlyAfterTwentyFiveHoursOfSilence() throws Exception {
        MovableClock clock = new MovableClock();
        try (HubUnderTest hub = HubUnderTest.start(TestOptions.quiet(clock));
             TopicRecorder topics = new TopicRecorder(hub.broker, "hearth/devices/+/availability")) {
            PairingAndRemovalTest.awaitNetwork(hub);
            awaitQuiet(hub, clock);
            clock.advance(Duration.ofHours(24));
            hub.zigbee.simulator().orElseThrow().change(DemoNetwork.FRONT_DOOR, 0x0500, 0x0002, 1);
            topics.clear();
            Thread.sleep(300);
            clock.advance(Duration.ofHours(1).plusMinutes(1));
            checkAndSettle(hub);

            topics.await(DeviceTopics.availability(CLIMATE), m -> m.payloadText().equals("offline"));
            // The door spoke an hour ago: still online.
            assertThat(hub.zigbee.devices().get(DOOR).online()).isTrue();
            assertThat(topics.on(DeviceTopics.availability(DOOR))).isEmpty();
        }
    }

    /**
     * Waits until the join-time traffic (reads, reporting setup) is over: frames that arrive after
     * the clock moved would count as heard at the later time.
     */
    private static void awaitQuiet(HubUnderTest hub, MovableClock clock) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
        java.util.List<java.time.Instant> last = java.util.List.of();
        int stableRounds = 0;
        while (stableRounds < 5 && System.nanoTime() < deadline) {
            java.util.List<java.time.Instant> now = hub.zigbee.devices().values().stream()
                    .map(p -> p.lastSeen()).toList();
            stableRounds = now.equals(last) ? stableRounds + 1 : 0;
            last = now;
            // The clock ticks a little each round, so a frame heard in between shows as a newer last-seen.
            clock.advance(Duration.ofMillis(1));
            Thread.sleep(200);
        }
    }

    private static void checkAndSettle(HubUnderTest hub) throws InterruptedException {
        hub.zigbee.checkAvailabilityNow();
        Thread.sleep(300);
    }
}
