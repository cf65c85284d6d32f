package io.hearth.serial.link;

import jssc.SerialPort;
import jssc.SerialPortException;

/**
 * How one piece of output reaches the port. jssc's write is one system call that answers only
 * "all of it" or "not all of it"; a test can stand in a writer that goes short on purpose.
 */
@FunctionalInterface
public interface PortWriter {

    PortWriter JSSC = SerialPort::writeBytes;

    /** @return true when every byte went out; false when the write failed or went short (by an unknown amount) */
    boolean write(SerialPort port, byte[] piece) throws SerialPortException;
}
