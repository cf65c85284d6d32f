package io.hearth.zigbee.dongle;

import com.zsmartsystems.zigbee.transport.ZigBeeTransportTransmit;
import java.nio.file.Path;
import java.util.Optional;

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

    /**
     * The device file the coordinator is plugged in as, if it has one. Drivers do not all notice
     * when their port vanishes, so the binding watches the file itself.
     */
    default Optional<Path> port() {
        return Optional.empty();
    }
}
