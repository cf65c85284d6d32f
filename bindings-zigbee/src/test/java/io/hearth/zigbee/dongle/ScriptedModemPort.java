package io.hearth.zigbee.dongle;

import com.zsmartsystems.zigbee.transport.ZigBeePort;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * A {@link ZigBeePort} backed by byte streams instead of a serial device: what the driver writes is
 * collected into command lines and answered by a script, as the dongle's firmware would.
 */
final class ScriptedModemPort implements ZigBeePort {

    private final BlockingQueue<Integer> toDriver = new LinkedBlockingQueue<>();
    private final StringBuilder line = new StringBuilder();
    private final List<String> commands = new ArrayList<>();
    private final Function<String, String> firmware;
    private volatile boolean open;

    /** @param firmware the reply text (with its CR LF line ends) to each command line */
    ScriptedModemPort(Function<String, String> firmware) {
        this.firmware = firmware;
    }

    /** Puts bytes on the line towards the driver, as if the dongle sent them unasked. */
    void inject(String text) {
        for (byte b : text.getBytes(StandardCharsets.US_ASCII)) {
            toDriver.add(b & 0xFF);
        }
    }

    synchronized List<String> commands() {
        return List.copyOf(commands);
    }

    @Override
    public boolean open() {
        open = true;
        return true;
    }

    @Override
    public boolean open(int baudRate) {
        return open();
    }

    @Override
    public boolean open(int baudRate, FlowControl flowControl) {
        return open();
    }

    @Override
    public void close() {
        open = false;
    }

    @Override
    public synchronized void write(int value) {
        if (value == '\n' || value == '\r') {
            if (line.length() > 0) {
                String command = line.toString();
                line.setLength(0);
                commands.add(command);
                inject(firmware.apply(command));
            }
            return;
        }
        line.append((char) value);
    }

    @Override
    public void write(int[] bytes) {
        for (int b : bytes) {
            write(b);
        }
    }

    @Override
    public int read() {
        return read(Integer.MAX_VALUE);
    }

    @Override
    public int read(int timeout) {
        try {
            Integer value = open ? toDriver.poll(Math.min(timeout, 100), TimeUnit.MILLISECONDS) : null;
            return value == null ? -1 : value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void purgeRxBuffer() {
        toDriver.clear();
    }
}
