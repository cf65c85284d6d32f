package io.hearth.web.testing;

import io.hearth.core.config.CloudConfig;
import io.hearth.core.config.FlowControl;
import io.hearth.core.config.HearthConfig;
import io.hearth.core.config.ZigbeeConfig;
import io.hearth.core.device.DeviceId;
import io.hearth.shadow.RunningShadows;
import io.hearth.shadow.device.DeviceService;
import io.hearth.shadow.device.DeviceView;
import io.hearth.zigbee.simulated.DemoNetwork;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The hubs the web module's tests run against: the store, broker, shadow service, bindings and REST
 * API as the hub wires them. The Zigbee binding is on the class path, so it runs unless told not to.
 */
public final class TestHubs {

    /** The demo network's devices, by the names they announce. */
    public static final Map<String, DeviceId> DEMO = Map.of(
            "Living room lamp", DeviceId.zigbee(DemoNetwork.LIVING_ROOM_LAMP),
            "Kitchen plug", DeviceId.zigbee(DemoNetwork.KITCHEN_PLUG),
            "Hallway climate", DeviceId.zigbee(DemoNetwork.HALLWAY_CLIMATE),
            "Front door", DeviceId.zigbee(DemoNetwork.FRONT_DOOR),
            "Hall motion", DeviceId.zigbee(DemoNetwork.HALL_MOTION));
    public static final DeviceId LAMP = DEMO.get("Living room lamp");
    public static final DeviceId CLIMATE = DEMO.get("Hallway climate");
    public static final DeviceId NEW_BULB = DeviceId.zigbee(DemoNetwork.NEW_BULB);

    private TestHubs() {
    }

    /** A hub without Zigbee (dongle {@code none}), for tests that bring their own devices over MQTT. */
    public static RunningShadows withoutZigbee() throws Exception {
        return withoutZigbee(UnaryOperator.identity());
    }

    public static RunningShadows withoutZigbee(UnaryOperator<HearthConfig> customize) throws Exception {
        return RunningShadows.start(config -> customize.apply(zigbee(config, ZigbeeConfig.Dongle.NONE)));
    }

    /**
     * A hub as it ships: the real Zigbee binding on the simulated coordinator. Returns once the five
     * demo devices are known by name, so tests start from a formed network.
     */
    public static RunningShadows withDemoNetwork() throws Exception {
        RunningShadows hub = RunningShadows.start(config -> zigbee(config, ZigbeeConfig.Dongle.SIMULATED));
        try {
            awaitDevices(hub, List.copyOf(DEMO.keySet()), Duration.ofSeconds(30));
            return hub;
        } catch (Throwable e) {
            hub.close();
            throw e;
        }
    }

    /** Waits until every device in {@code names} is listed by the hub under that name. */
    public static void awaitDevices(RunningShadows hub, List<String> names, Duration patience) throws InterruptedException {
        DeviceService devices = hub.bean(DeviceService.class);
        long deadline = System.nanoTime() + patience.toNanos();
        List<String> known = List.of();
        while (System.nanoTime() < deadline) {
            known = devices.list().join().stream().map(DeviceView::name).toList();
            if (known.containsAll(names)) {
                return;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("waited " + patience.toSeconds() + " s for " + names + "; the hub knows " + known);
    }

    /** {@code config} with the cloud link enabled towards {@code url} as the thing {@code thingName}, in broker mode. */
    public static HearthConfig withCloud(HearthConfig config, String url, String thingName) {
        return new HearthConfig(config.dataDir(), config.http(), config.mqtt(), config.zigbee(), config.serial(),
                new CloudConfig(true, url, thingName, CloudConfig.Mode.BROKER, "", "", "", "", ""), config.history());
    }

    private static HearthConfig zigbee(HearthConfig config, ZigbeeConfig.Dongle dongle) {
        return new HearthConfig(config.dataDir(), config.http(), config.mqtt(),
                new ZigbeeConfig(dongle, "/dev/null", 115_200, FlowControl.NONE, 0),
                config.serial(), config.cloud(), config.history());
    }
}
