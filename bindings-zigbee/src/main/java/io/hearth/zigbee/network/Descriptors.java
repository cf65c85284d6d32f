package io.hearth.zigbee.network;

import com.zsmartsystems.zigbee.serialization.DefaultDeserializer;
import com.zsmartsystems.zigbee.zdo.field.NodeDescriptor;
import com.zsmartsystems.zigbee.zdo.field.NodeDescriptor.MacCapabilitiesType;
import com.zsmartsystems.zigbee.zdo.field.PowerDescriptor;
import com.zsmartsystems.zigbee.zdo.field.PowerDescriptor.PowerSourceType;

/**
 * Node and power descriptors in their over-the-air form (ZigBee specification 2.3.2.3 and 2.3.2.4).
 * The library reads this form but cannot write it, and both the simulated coordinator and the node
 * store need to.
 */
public final class Descriptors {

    private Descriptors() {
    }

    /** Logical types as the descriptor codes them. */
    public static final int COORDINATOR = 0;
    public static final int ROUTER = 1;
    public static final int END_DEVICE = 2;

    /** MAC capability flags. */
    public static final int MAC_FULL_FUNCTION = 0x02;
    public static final int MAC_MAINS_POWER = 0x04;
    public static final int MAC_RECEIVER_ON_WHEN_IDLE = 0x08;
    public static final int MAC_SECURITY = 0x40;
    public static final int MAC_ALLOCATE_ADDRESS = 0x80;

    /** Power source flags. */
    public static final int POWER_MAINS = 0x01;
    public static final int POWER_RECHARGEABLE_BATTERY = 0x02;
    public static final int POWER_DISPOSABLE_BATTERY = 0x04;

    /** A 2.4 GHz node descriptor. */
    public static int[] nodeDescriptor(int logicalType, int macCapabilities, int manufacturerCode) {
        return new int[] {
            logicalType & 0x07,
            0x08 << 3 & 0xF8, // frequency band: 2.4 GHz
            macCapabilities & 0xFF,
            manufacturerCode & 0xFF, manufacturerCode >> 8 & 0xFF,
            0x52, // maximum buffer size
            0x80, 0x00, // maximum incoming transfer size
            0x00, 0x00, // server mask
            0x80, 0x00, // maximum outgoing transfer size
            0x00 // descriptor capabilities
        };
    }

    /**
     * A power descriptor: receiver always on for mains devices, periodically on for battery ones;
     * power level "full" (0xC).
     */
    public static int[] powerDescriptor(int powerSource) {
        int mode = powerSource == POWER_MAINS ? 0x0 : 0x1;
        return new int[] {(powerSource & 0x0F) << 4 | mode, 0xC << 4 | powerSource & 0x0F};
    }

    public static int[] encode(NodeDescriptor descriptor) {
        int logical = switch (descriptor.getLogicalType()) {
            case COORDINATOR -> COORDINATOR;
            case ROUTER -> ROUTER;
            default -> END_DEVICE;
        };
        int mac = 0;
        for (MacCapabilitiesType capability : descriptor.getMacCapabilities()) {
            mac |= switch (capability) {
                case ALTERNATIVE_PAN -> 0x01;
                case FULL_FUNCTION_DEVICE -> MAC_FULL_FUNCTION;
                case MAINS_POWER -> MAC_MAINS_POWER;
                case RECEIVER_ON_WHEN_IDLE -> MAC_RECEIVER_ON_WHEN_IDLE;
                case SECURITY_CAPABLE -> MAC_SECURITY;
                case ADDRESS_ALLOCATION -> MAC_ALLOCATE_ADDRESS;
                case REDUCED_FUNCTION_DEVICE -> 0;
            };
        }
        return nodeDescriptor(logical, mac, descriptor.getManufacturerCode());
    }

    public static int[] encode(PowerDescriptor descriptor) {
        int source = switch (descriptor.getCurrentPowerSource() == null ? PowerSourceType.MAINS
                : descriptor.getCurrentPowerSource()) {
            case RECHARGABLE_BATTERY -> POWER_RECHARGEABLE_BATTERY;
            case DISPOSABLE_BATTERY -> POWER_DISPOSABLE_BATTERY;
            default -> POWER_MAINS;
        };
        return powerDescriptor(source);
    }

    public static NodeDescriptor nodeDescriptor(int[] bytes) {
        NodeDescriptor descriptor = new NodeDescriptor();
        descriptor.deserialize(new DefaultDeserializer(bytes));
        return descriptor;
    }

    public static PowerDescriptor powerDescriptor(int[] bytes) {
        PowerDescriptor descriptor = new PowerDescriptor();
        descriptor.deserialize(new DefaultDeserializer(bytes));
        return descriptor;
    }

    public static String hex(int[] bytes) {
        StringBuilder text = new StringBuilder();
        for (int b : bytes) {
            text.append(String.format("%02X", b & 0xFF));
        }
        return text.toString();
    }

    public static int[] unhex(String text) {
        int[] bytes = new int[text.length() / 2];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = Integer.parseInt(text.substring(2 * i, 2 * i + 2), 16);
        }
        return bytes;
    }
}
