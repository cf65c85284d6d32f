package io.hearth.web.emulator;

/**
 * One device of the emulated Zigbee network: its id, the name it announces, its state keys (as the
 * {@code capabilities} JSON array) and the state it reports first.
 */
public record EmulatedDevice(String id, String name, String capabilities, String initialState) {

    public static final EmulatedDevice LAMP = new EmulatedDevice("zigbee-00124b0001a2b3c4", "Living room lamp",
            "[{\"key\":\"on\"},{\"key\":\"brightness\"},{\"key\":\"colorTemp\",\"min\":153,\"max\":500}]",
            "{\"on\":false,\"brightness\":60,\"colorTemp\":370}");
    public static final EmulatedDevice PLUG = new EmulatedDevice("zigbee-00124b0001a2b3c5", "Kitchen plug",
            "[{\"key\":\"on\"},{\"key\":\"power\"},{\"key\":\"energy\"}]", "{\"on\":true,\"power\":12.5,\"energy\":3.2}");
    public static final EmulatedDevice CLIMATE = new EmulatedDevice("zigbee-00124b0001a2b3c6", "Hallway climate",
            "[{\"key\":\"temperature\",\"unit\":\"°C\"},{\"key\":\"humidity\",\"unit\":\"%\"},{\"key\":\"battery\",\"unit\":\"%\"}]",
            "{\"temperature\":20.8,\"humidity\":44,\"battery\":91}");
    public static final EmulatedDevice DOOR = new EmulatedDevice("zigbee-00124b0001a2b3c7", "Front door",
            "[{\"key\":\"contact\"},{\"key\":\"battery\"}]", "{\"contact\":true,\"battery\":80}");
    public static final EmulatedDevice MOTION = new EmulatedDevice("zigbee-00124b0001a2b3c8", "Hall motion",
            "[{\"key\":\"occupancy\"},{\"key\":\"illuminance\"},{\"key\":\"battery\"}]",
            "{\"occupancy\":false,\"illuminance\":120,\"battery\":75}");
    /** Joins only while a pairing window is open. */
    public static final EmulatedDevice NEW_BULB = new EmulatedDevice("zigbee-00124b0001a2b3d0", "New bulb",
            "[{\"key\":\"on\"},{\"key\":\"brightness\"}]", "{\"on\":true,\"brightness\":100}");

    /** The devices present from the start. */
    public static final java.util.List<EmulatedDevice> HOME = java.util.List.of(LAMP, PLUG, CLIMATE, DOOR, MOTION);

    String info() {
        return "{\"name\":\"" + name + "\",\"binding\":\"zigbee\",\"capabilities\":" + capabilities + "}";
    }
}
