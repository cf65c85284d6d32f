package io.hearth.serial.link;

import io.hearth.core.config.FlowControl;
import io.hearth.core.config.SerialGateway;
import jssc.SerialPort;

/** A gateway's line settings in jssc's terms. */
public record PortSettings(String port, int baud, int dataBits, int stopBits, int parity, int flowControl) {

    public static PortSettings of(SerialGateway gateway) {
        int parity = switch (gateway.parity()) {
            case NONE -> SerialPort.PARITY_NONE;
            case EVEN -> SerialPort.PARITY_EVEN;
            case ODD -> SerialPort.PARITY_ODD;
            case MARK -> SerialPort.PARITY_MARK;
            case SPACE -> SerialPort.PARITY_SPACE;
        };
        int flow = gateway.flowControl() == FlowControl.HARDWARE
                ? SerialPort.FLOWCONTROL_RTSCTS_IN | SerialPort.FLOWCONTROL_RTSCTS_OUT
                : gateway.flowControl() == FlowControl.SOFTWARE
                ? SerialPort.FLOWCONTROL_XONXOFF_IN | SerialPort.FLOWCONTROL_XONXOFF_OUT
                : SerialPort.FLOWCONTROL_NONE;
        // jssc's constants for data and stop bits are the plain numbers 5..8 and 1..2.
        return new PortSettings(gateway.port(), gateway.baud(), gateway.dataBits(),
                gateway.stopBits() == 2 ? SerialPort.STOPBITS_2 : SerialPort.STOPBITS_1, parity, flow);
    }
}
