package io.hearth.zigbee.dongle;

import com.zsmartsystems.zigbee.dongle.cc2531.ZigBeeDongleTiCc2531;
import com.zsmartsystems.zigbee.dongle.conbee.ZigBeeDongleConBee;
import com.zsmartsystems.zigbee.dongle.ember.ZigBeeDongleEzsp;
import com.zsmartsystems.zigbee.dongle.telegesis.ZigBeeDongleTelegesis;
import com.zsmartsystems.zigbee.dongle.xbee.ZigBeeDongleXBee;
import com.zsmartsystems.zigbee.serial.ZigBeeSerialPort;
import com.zsmartsystems.zigbee.transport.ZigBeePort;
import com.zsmartsystems.zigbee.transport.ZigBeeTransportTransmit;
import io.hearth.core.config.FlowControl;
import io.hearth.core.config.ZigbeeConfig;
import java.nio.file.Path;
import java.util.Optional;

/** The library's driver for each dongle family, on the configured serial port. */
public final class SerialDongles {

    private SerialDongles() {
    }

    public static TransportFactory factory(ZigbeeConfig config) {
        if (!config.dongle().usesSerialPort()) {
            throw new IllegalArgumentException(config.dongle() + " is not a serial dongle");
        }
        return new TransportFactory() {
            @Override
            public ZigBeeTransportTransmit create() {
                ZigBeePort port = new ZigBeeSerialPort(config.port(), config.baud(), flowControl(config.flowControl()));
                return driver(config.dongle(), port);
            }

            @Override
            public String describe() {
                return config.dongle().name().toLowerCase(java.util.Locale.ROOT) + " dongle on " + config.port();
            }

            @Override
            public Optional<Path> port() {
                return Optional.of(Path.of(config.port()));
            }
        };
    }

    /** The driver for a dongle family on any port (a serial port, or a stream in tests). */
    public static ZigBeeTransportTransmit driver(ZigbeeConfig.Dongle dongle, ZigBeePort port) {
        return switch (dongle) {
            case EMBER -> new ZigBeeDongleEzsp(port);
            case ZNP -> new ZigBeeDongleTiCc2531(port);
            case TELEGESIS -> new ZigBeeDongleTelegesis(port);
            case XBEE -> new ZigBeeDongleXBee(port);
            case CONBEE -> new ZigBeeDongleConBee(port);
            case SIMULATED, NONE -> throw new IllegalArgumentException(dongle + " has no serial driver");
        };
    }

    static ZigBeePort.FlowControl flowControl(FlowControl flowControl) {
        return switch (flowControl) {
            case NONE -> ZigBeePort.FlowControl.FLOWCONTROL_OUT_NONE;
            case HARDWARE -> ZigBeePort.FlowControl.FLOWCONTROL_OUT_RTSCTS;
            case SOFTWARE -> ZigBeePort.FlowControl.FLOWCONTROL_OUT_XONOFF;
        };
    }
}
