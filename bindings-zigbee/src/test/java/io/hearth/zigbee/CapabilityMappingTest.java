package io.hearth.zigbee;

import static io.hearth.zigbee.TopicRecorder.reports;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.core.bus.BusClient;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import io.hearth.core.device.DeviceId;
import io.hearth.core.device.DeviceTopics;
import io.hearth.zigbee.simulated.DemoNetwork;
import io.hearth.zigbee.simulated.SimulatedCoordinator;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Test;

/**
 * Every demo device's keys, both ways, through the real network manager and the embedded broker.
 * The tests share one network; the values read on join are checked first, before others change them.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class CapabilityMappingTest {

    private static final DeviceId LAMP = DeviceId.zigbee(DemoNetwork.LIVING_ROOM_LAMP);
    private static final DeviceId PLUG = DeviceId.zigbee(DemoNetwork.KITCHEN_PLUG);
    private static final DeviceId CLIMATE = DeviceId.zigbee(DemoNetwork.HALLWAY_CLIMATE);
    private static final DeviceId DOOR = DeviceId.zigbee(DemoNetwork.FRONT_DOOR);
    private static final DeviceId MOTION = DeviceId.zigbee(DemoNetwork.HALL_MOTION);

    private static final int ON_OFF = 0x0006;
    private static final int ILLUMINANCE = 0x0400;
    private static final int TEMPERATURE = 0x0402;
    private static final int HUMIDITY = 0x0405;
    private static final int IAS_ZONE = 0x0500;
    private static final int ZONE_STATUS = 0x0002;
    private static final int METERING = 0x0702;
    private static final int POWER_CONFIGURATION = 0x0001;

    private static HubUnderTest hub;
    private static TopicRecorder topics;

    @BeforeAll
    static void startNetwork() throws Exception {
        hub = HubUnderTest.start(TestOptions.quiet());
        topics = new TopicRecorder(hub.broker, "hearth/devices/#", "$aws/things/+/shadow/update");
        for (DeviceId id : new DeviceId[] {LAMP, PLUG, CLIMATE, DOOR, MOTION}) {
            topics.await(DeviceTopics.availability(id), m -> m.payloadText().equals("online"));
        }
    }

    @AfterAll
    static void stopNetwork() {
        topics.close();
        hub.close();
    }

    private static SimulatedCoordinator radio() {
        return hub.zigbee.simulator().orElseThrow();
    }

    @Test
    @Order(1)
    void currentValuesAreReadOnJoinAndReportedInVocabularyUnits() throws Exception {
        topics.await(DeviceTopics.shadowUpdate(LAMP), reports("on", false));
        topics.await(DeviceTopics.shadowUpdate(LAMP), reports("brightness", 100));
        topics.await(DeviceTopics.shadowUpdate(LAMP), reports("colorTemp", 370));
        topics.await(DeviceTopics.shadowUpdate(PLUG), reports("energy", 12.345));
        topics.await(DeviceTopics.shadowUpdate(PLUG), reports("power", 0));
        topics.await(DeviceTopics.shadowUpdate(CLIMATE), reports("temperature", 21.5));
        topics.await(DeviceTopics.shadowUpdate(CLIMATE), reports("humidity", 45.0));
        topics.await(DeviceTopics.shadowUpdate(CLIMATE), reports("battery", 90));
        topics.await(DeviceTopics.shadowUpdate(DOOR), reports("contact", true));
        topics.await(DeviceTopics.shadowUpdate(DOOR), reports("battery", 80));
        topics.await(DeviceTopics.shadowUpdate(MOTION), reports("occupancy", false));
        topics.await(DeviceTopics.shadowUpdate(MOTION), reports("illuminance", 99.977));
    }

    @Test
    void attributeReportsBecomeReportedState() throws Exception {
        radio().change(DemoNetwork.HALLWAY_CLIMATE, TEMPERATURE, 0x0000, 2234);
        radio().change(DemoNetwork.HALLWAY_CLIMATE, HUMIDITY, 0x0000, 5120);
        radio().change(DemoNetwork.HALLWAY_CLIMATE, POWER_CONFIGURATION, 0x0021, 101);
        radio().change(DemoNetwork.HALL_MOTION, ILLUMINANCE, 0x0000, 30_001);
        topics.await(DeviceTopics.shadowUpdate(CLIMATE), reports("temperature", 22.34));
        topics.await(DeviceTopics.shadowUpdate(CLIMATE), reports("humidity", 51.2));
        topics.await(DeviceTopics.shadowUpdate(CLIMATE), reports("battery", 50.5));
        topics.await(DeviceTopics.shadowUpdate(MOTION), reports("illuminance", 1000));
    }

    @Test
    void zoneNotificationsBecomeContactAndOccupancy() throws Exception {
        radio().change(DemoNetwork.FRONT_DOOR, IAS_ZONE, ZONE_STATUS, 0x0001);
        topics.await(DeviceTopics.shadowUpdate(DOOR), reports("contact", false));
        radio().change(DemoNetwork.HALL_MOTION, IAS_ZONE, ZONE_STATUS, 0x0001);
        topics.await(DeviceTopics.shadowUpdate(MOTION), reports("occupancy", true));
        radio().change(DemoNetwork.FRONT_DOOR, IAS_ZONE, ZONE_STATUS, 0x0000);
        topics.await(DeviceTopics.shadowUpdate(DOOR), m -> reports("contact", true).test(m)
                && topics.on(DeviceTopics.shadowUpdate(DOOR)).indexOf(m) > 0);
    }

    @Test
    void desiredStateBecomesZclCommandsAndIsClearedOnceTheLampReportsIt() throws Exception {
        delta(LAMP, "{\"on\":true,\"brightness\":40,\"colorTemp\":250}");
        for (String key : new String[] {"on", "brightness", "colorTemp"}) {
            BusMessage confirmed = topics.await(DeviceTopics.shadowUpdate(LAMP), clears(key), Duration.ofSeconds(2));
            assertThat(TopicRecorder.json(confirmed).path("state").path("reported").has(key)).isTrue();
        }
        topics.await(DeviceTopics.shadowUpdate(LAMP), reports("brightness", 40));
        topics.await(DeviceTopics.shadowUpdate(LAMP), reports("colorTemp", 250));
    }

    @Test
    void thePlugSwitchesAndItsEnergyIsPolledBecauseItRefusesReporting() throws Exception {
        delta(PLUG, "{\"on\":true}");
        topics.await(DeviceTopics.shadowUpdate(PLUG), clears("on"), Duration.ofSeconds(2));
        assertThat(hub.zigbee.devices().get(PLUG).polledCount()).isEqualTo(1);
        radio().change(DemoNetwork.KITCHEN_PLUG, METERING, 0x0000, 20_000L);
        topics.await(DeviceTopics.shadowUpdate(PLUG), reports("energy", 20));
        radio().change(DemoNetwork.KITCHEN_PLUG, ON_OFF, 0x0000, false);
        topics.await(DeviceTopics.shadowUpdate(PLUG), m -> reports("on", false).test(m)
                && !TopicRecorder.json(m).path("state").has("desired"));
    }

    @Test
    void desiredValuesAlreadyReachedAreClearedWithoutACommand() throws Exception {
        topics.await(DeviceTopics.shadowUpdate(CLIMATE), reports("temperature", 21.5));
        delta(LAMP, "{\"colorTemp\":" + hub.zigbee.devices().get(LAMP).reported("colorTemp") + "}");
        topics.await(DeviceTopics.shadowUpdate(LAMP), clears("colorTemp"), Duration.ofSeconds(2));
    }

    @Test
    void readOnlyKeysUnknownKeysAndBadValuesInDesiredStateAreIgnoredAndCounted() throws Exception {
        long before = refusedDesired();
        delta(CLIMATE, "{\"temperature\":30}");
        delta(LAMP, "{\"brightness\":\"bright\",\"volume\":3}");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (refusedDesired() < before + 3 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(refusedDesired()).isEqualTo(before + 3);
        assertThat(hub.zigbee.health().status().name()).isEqualTo("UP");
    }

    @Test
    void malformedDeltasAreCountedAndChangeNothing() throws Exception {
        long before = ((Number) hub.zigbee.health().details().get("badDeltas")).longValue();
        try (BusClient shadow = hub.broker.connect("shadow-service")) {
            shadow.publish(BusMessage.of(DeviceTopics.shadowDelta(LAMP), "{not json", Qos.AT_LEAST_ONCE, false))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
            shadow.publish(BusMessage.of(DeviceTopics.shadowDelta(LAMP), "{\"state\":[1]}", Qos.AT_LEAST_ONCE, false))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (((Number) hub.zigbee.health().details().get("badDeltas")).longValue() < before + 2
                && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(((Number) hub.zigbee.health().details().get("badDeltas")).longValue()).isEqualTo(before + 2);
    }

    private static long refusedDesired() {
        return ((Number) hub.zigbee.health().details().get("refusedDesired")).longValue();
    }

    private static java.util.function.Predicate<BusMessage> clears(String key) {
        return m -> {
            JsonNode desired = TopicRecorder.json(m).path("state").path("desired");
            return desired.has(key) && desired.get(key).isNull();
        };
    }

    /** Publishes a delta the way the shadow service does after desired state was set. */
    private static void delta(DeviceId device, String state) throws Exception {
        try (BusClient shadow = hub.broker.connect("shadow-service")) {
            String document = "{\"state\":" + state + ",\"metadata\":{},\"version\":7,\"timestamp\":1700000000}";
            shadow.publish(BusMessage.of(DeviceTopics.shadowDelta(device), document, Qos.AT_LEAST_ONCE, false))
                    .toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }
}
