package io.hearth.zigbee.network;

import com.zsmartsystems.zigbee.ExtendedPanId;
import com.zsmartsystems.zigbee.ZigBeeChannel;
import com.zsmartsystems.zigbee.security.ZigBeeKey;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.random.RandomGenerator;

/**
 * The identity of the network this hub coordinates. Devices remember these values when they join,
 * so they are generated once, at formation, and then kept for good.
 *
 * @param extendedPanId 16 hex digits
 * @param networkKey 32 hex digits; random per home, never a well-known default
 */
public record NetworkSettings(int channel, int panId, String extendedPanId, String networkKey) {

    public NetworkSettings {
        if (channel < 11 || channel > 26) {
            throw new IllegalArgumentException("channel must be 11 to 26, not " + channel);
        }
        if (panId < 1 || panId > 0xFFFE) {
            throw new IllegalArgumentException("PAN id out of range: " + panId);
        }
        Objects.requireNonNull(extendedPanId, "extendedPanId");
        Objects.requireNonNull(networkKey, "networkKey");
        if (!extendedPanId.matches("[0-9A-F]{16}") || !networkKey.matches("[0-9A-F]{32}")) {
            throw new IllegalArgumentException("extended PAN id and network key must be upper-case hex");
        }
    }

    /** Channels that overlap least with common Wi-Fi channels 1, 6 and 11. */
    private static final int[] QUIET_CHANNELS = {11, 15, 20, 25};

    /**
     * Fresh settings for a new network. A configured channel wins; otherwise one of the channels
     * least disturbed by Wi-Fi is picked.
     */
    public static NetworkSettings generate(int configuredChannel) {
        RandomGenerator random = new SecureRandom();
        int channel = configuredChannel != 0 ? configuredChannel : QUIET_CHANNELS[random.nextInt(QUIET_CHANNELS.length)];
        int panId = 1 + random.nextInt(0xFFFE);
        byte[] extended = new byte[8];
        byte[] key = new byte[16];
        ((SecureRandom) random).nextBytes(extended);
        ((SecureRandom) random).nextBytes(key);
        return new NetworkSettings(channel, panId, hex(extended), hex(key));
    }

    public ZigBeeChannel zigbeeChannel() {
        return ZigBeeChannel.create(channel);
    }

    public ExtendedPanId zigbeeExtendedPanId() {
        return new ExtendedPanId(extendedPanId);
    }

    public ZigBeeKey zigbeeNetworkKey() {
        return new ZigBeeKey(networkKey);
    }

    /** Never prints the key: these settings end up in logs. */
    @Override
    public String toString() {
        return "channel " + channel + ", PAN " + String.format("%04X", panId) + ", extended PAN " + extendedPanId;
    }

    private static String hex(byte[] bytes) {
        StringBuilder text = new StringBuilder();
        for (byte b : bytes) {
            text.append(String.format("%02X", b & 0xFF));
        }
        return text.toString();
    }
}
