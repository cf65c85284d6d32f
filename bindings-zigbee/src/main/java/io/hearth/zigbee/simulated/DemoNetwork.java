package io.hearth.zigbee.simulated;

import com.zsmartsystems.zigbee.IeeeAddress;
import com.zsmartsystems.zigbee.zcl.protocol.ZclDataType;
import java.util.List;
import java.util.Random;

/**
 * The devices of the simulated network. Addresses are fixed so that the same devices (and the
 * same device ids) come back on every start and on every machine.
 */
public final class DemoNetwork {

    public static final long LIVING_ROOM_LAMP = 0x00124B0010000001L;
    public static final long KITCHEN_PLUG = 0x00124B0010000002L;
    public static final long HALLWAY_CLIMATE = 0x00124B0010000003L;
    public static final long FRONT_DOOR = 0x00124B0010000004L;
    public static final long HALL_MOTION = 0x00124B0010000005L;
    /** Joins only while pairing is open. */
    public static final long NEW_BULB = 0x00124B0010000006L;

    /**
     * Never part of the demo: a remote whose only cluster is its maker's own, which the hub cannot
     * use. Tests let it join to see a pairing fail with a reason.
     */
    public static final long SCENE_REMOTE = 0x00124B0010000007L;

    /** The coordinator's own address. */
    public static final long COORDINATOR = 0x00124B0010000000L;

    static final int BASIC = 0x0000;
    static final int POWER_CONFIGURATION = 0x0001;
    static final int ON_OFF = 0x0006;
    static final int LEVEL_CONTROL = 0x0008;
    static final int COLOR_CONTROL = 0x0300;
    static final int ILLUMINANCE = 0x0400;
    static final int TEMPERATURE = 0x0402;
    static final int HUMIDITY = 0x0405;
    static final int IAS_ZONE = 0x0500;
    static final int METERING = 0x0702;
    static final int ELECTRICAL_MEASUREMENT = 0x0B04;

    static final int ZONE_STATUS = 0x0002;
    static final int ZONE_TYPE_CONTACT = 0x0015;
    static final int ZONE_TYPE_MOTION = 0x000D;
    /** Zone status bit "alarm 1": open for a contact, motion for a motion sensor. */
    static final int ALARM_1 = 0x0001;

    private DemoNetwork() {
    }

    /** Devices that are part of the network from its formation. */
    static List<SimulatedDevice> founders() {
        return List.of(livingRoomLamp(), kitchenPlug(), hallwayClimate(), frontDoor(), hallMotion());
    }

    static SimulatedDevice newcomer() {
        return new SimulatedDevice("New bulb", NEW_BULB, 0x6A06, true, List.of(new SimulatedEndpoint(1, 0x0101,
                List.of(basic("New bulb", "Simulated dimmable bulb", true), onOff(), level()), List.of())),
                SimulatedDevice.Behaviour.NONE);
    }

    static SimulatedDevice unsupported() {
        return new SimulatedDevice("Scene remote", SCENE_REMOTE, 0x6A07, false, List.of(new SimulatedEndpoint(1, 0x0006,
                List.of(basic("Scene remote", "Simulated remote with a maker-specific cluster", false),
                        new SimulatedCluster(0xFC01)), List.of())), SimulatedDevice.Behaviour.NONE);
    }

    public static IeeeAddress coordinatorAddress() {
        return new IeeeAddress(String.format("%016X", COORDINATOR));
    }

    private static SimulatedDevice livingRoomLamp() {
        SimulatedCluster color = new SimulatedCluster(COLOR_CONTROL)
                .attribute(0x0007, ZclDataType.UNSIGNED_16_BIT_INTEGER, 370)
                .attribute(0x0008, ZclDataType.ENUMERATION_8_BIT, 2)
                .attribute(0x400B, ZclDataType.UNSIGNED_16_BIT_INTEGER, 153)
                .attribute(0x400C, ZclDataType.UNSIGNED_16_BIT_INTEGER, 454);
        return new SimulatedDevice("Living room lamp", LIVING_ROOM_LAMP, 0x3A01, true, List.of(new SimulatedEndpoint(1,
                0x010C, List.of(basic("Living room lamp", "Simulated colour temperature bulb", true), onOff(), level(),
                color), List.of())), SimulatedDevice.Behaviour.NONE);
    }

    private static SimulatedDevice kitchenPlug() {
        SimulatedCluster electrical = new SimulatedCluster(ELECTRICAL_MEASUREMENT)
                .attribute(0x050B, ZclDataType.SIGNED_16_BIT_INTEGER, 0)
                .attribute(0x0604, ZclDataType.UNSIGNED_16_BIT_INTEGER, 1)
                .attribute(0x0605, ZclDataType.UNSIGNED_16_BIT_INTEGER, 1);
        // Metering refuses reporting, as many plugs do: the hub has to poll it.
        SimulatedCluster metering = new SimulatedCluster(METERING)
                .attribute(0x0000, ZclDataType.UNSIGNED_48_BIT_INTEGER, 12_345L)
                .attribute(0x0301, ZclDataType.UNSIGNED_24_BIT_INTEGER, 1)
                .attribute(0x0302, ZclDataType.UNSIGNED_24_BIT_INTEGER, 1000)
                .refusingReporting();
        return new SimulatedDevice("Kitchen plug", KITCHEN_PLUG, 0x3A02, true, List.of(new SimulatedEndpoint(1, 0x0051,
                List.of(basic("Kitchen plug", "Simulated metering plug", true), onOff(), electrical, metering), List.of())),
                DemoNetwork::plugDraw);
    }

    private static SimulatedDevice hallwayClimate() {
        SimulatedCluster temperature = new SimulatedCluster(TEMPERATURE)
                .attribute(0x0000, ZclDataType.SIGNED_16_BIT_INTEGER, 2150);
        SimulatedCluster humidity = new SimulatedCluster(HUMIDITY)
                .attribute(0x0000, ZclDataType.UNSIGNED_16_BIT_INTEGER, 4500);
        return new SimulatedDevice("Hallway climate", HALLWAY_CLIMATE, 0x3A03, false, List.of(new SimulatedEndpoint(1,
                0x0302, List.of(basic("Hallway climate", "Simulated temperature and humidity sensor", false),
                battery(180), temperature, humidity), List.of())), DemoNetwork::climateDrift);
    }

    private static SimulatedDevice frontDoor() {
        return new SimulatedDevice("Front door", FRONT_DOOR, 0x3A04, false, List.of(new SimulatedEndpoint(1, 0x0402,
                List.of(basic("Front door", "Simulated door contact", false), battery(160), zone(ZONE_TYPE_CONTACT)),
                List.of())), (device, random) -> {
                    if (random.nextInt(40) == 0) {
                        SimulatedCluster zone = device.cluster(IAS_ZONE);
                        zone.set(ZONE_STATUS, (Integer) zone.value(ZONE_STATUS) ^ ALARM_1);
                    }
                });
    }

    private static SimulatedDevice hallMotion() {
        SimulatedCluster illuminance = new SimulatedCluster(ILLUMINANCE)
                .attribute(0x0000, ZclDataType.UNSIGNED_16_BIT_INTEGER, 20_000);
        return new SimulatedDevice("Hall motion", HALL_MOTION, 0x3A05, false, List.of(new SimulatedEndpoint(1, 0x0402,
                List.of(basic("Hall motion", "Simulated motion sensor", false), battery(190), zone(ZONE_TYPE_MOTION),
                        illuminance), List.of())), (device, random) -> {
                    SimulatedCluster zone = device.cluster(IAS_ZONE);
                    int status = (Integer) zone.value(ZONE_STATUS);
                    // Motion is brief: a detection clears on the next tick.
                    if ((status & ALARM_1) != 0 || random.nextInt(10) == 0) {
                        zone.set(ZONE_STATUS, status ^ ALARM_1);
                    }
                });
    }

    private static void climateDrift(SimulatedDevice device, Random random) {
        SimulatedCluster temperature = device.cluster(TEMPERATURE);
        int centi = (Integer) temperature.value(0x0000) + random.nextInt(31) - 15;
        temperature.set(0x0000, Math.max(1800, Math.min(2600, centi)));
        SimulatedCluster humidity = device.cluster(HUMIDITY);
        int percent = (Integer) humidity.value(0x0000) + random.nextInt(61) - 30;
        humidity.set(0x0000, Math.max(3000, Math.min(7000, percent)));
    }

    private static void plugDraw(SimulatedDevice device, Random random) {
        boolean on = (Boolean) device.cluster(ON_OFF).value(0x0000);
        int watts = on ? 45 + random.nextInt(11) : 0;
        device.cluster(ELECTRICAL_MEASUREMENT).set(0x050B, watts);
        SimulatedCluster metering = device.cluster(METERING);
        metering.set(0x0000, (Long) metering.value(0x0000) + (on ? 1L : 0L));
    }

    private static SimulatedCluster basic(String location, String model, boolean mains) {
        return new SimulatedCluster(BASIC)
                .attribute(0x0004, ZclDataType.CHARACTER_STRING, "Hearth")
                .attribute(0x0005, ZclDataType.CHARACTER_STRING, model)
                .attribute(0x0007, ZclDataType.ENUMERATION_8_BIT, mains ? 0x01 : 0x03)
                .attribute(0x0010, ZclDataType.CHARACTER_STRING, location);
    }

    private static SimulatedCluster onOff() {
        return new SimulatedCluster(ON_OFF).attribute(0x0000, ZclDataType.BOOLEAN, false);
    }

    private static SimulatedCluster level() {
        return new SimulatedCluster(LEVEL_CONTROL).attribute(0x0000, ZclDataType.UNSIGNED_8_BIT_INTEGER, 254);
    }

    /** Battery percentage remaining is in half percent. */
    private static SimulatedCluster battery(int halfPercent) {
        return new SimulatedCluster(POWER_CONFIGURATION)
                .attribute(0x0021, ZclDataType.UNSIGNED_8_BIT_INTEGER, halfPercent);
    }

    private static SimulatedCluster zone(int zoneType) {
        return new SimulatedCluster(IAS_ZONE)
                .attribute(0x0000, ZclDataType.ENUMERATION_8_BIT, 0)
                .attribute(0x0001, ZclDataType.ENUMERATION_16_BIT, zoneType)
                .attribute(ZONE_STATUS, ZclDataType.BITMAP_16_BIT, 0)
                .attribute(0x0010, ZclDataType.IEEE_ADDRESS, new IeeeAddress("0000000000000000"))
                .attribute(0x0011, ZclDataType.UNSIGNED_8_BIT_INTEGER, 0xFF);
    }
}
