package io.hearth.zigbee.dongle;

import com.zsmartsystems.zigbee.transport.ZigBeeTransportTransmit;

/**
 * Makes the coordinator transport. Called again for every reconnect: a driver that lost its port
 * is not reused.
 */
@FunctionalInterface
public interface TransportFactory {

    ZigBeeTransportTransmit create();

    /** Where the coordinator is, for messages ("/dev/ttyUSB0", "simulated"). */
    default String describe() {
        return "coordinator";
    }
}
