package io.hearth.serial;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import jssc.SerialPort;
import jssc.SerialPortException;

/** The device end of a {@link SocatPair}, opened with jssc like the hub's end: writes lines, reads lines. */
public final class SimulatedDevice implements AutoCloseable {

    private final SerialPort port;
    private final StringBuilder pending = new StringBuilder();

    public SimulatedDevice(Path path) throws SerialPortException {
        port = new SerialPort(path.toString());
        port.openPort();
        port.setParams(115_200, 8, 1, 0); // false on a pty; the pty is raw already
    }

    public void send(String text) throws SerialPortException {
        port.writeBytes(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    public void send(byte[] bytes) throws SerialPortException {
        port.writeBytes(bytes);
    }

    /** The next line the hub wrote (without its line end), or null after {@code seconds}. */
    public String readLine(int seconds) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (true) {
            int end = pending.indexOf("\n");
            if (end >= 0) {
                String line = pending.substring(0, end);
                pending.delete(0, end + 1);
                return line;
            }
            if (System.nanoTime() > deadline) {
                return null;
            }
            int available = port.getInputBufferBytesCount();
            if (available > 0) {
                pending.append(new String(port.readBytes(available), StandardCharsets.ISO_8859_1));
            } else {
                Thread.sleep(10);
            }
        }
    }

    @Override
    public void close() {
        try {
            port.closePort();
        } catch (SerialPortException ignored) {
            // the pty may be gone already
        }
    }
}
