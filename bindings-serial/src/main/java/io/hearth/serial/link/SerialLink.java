package io.hearth.serial.link;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import jssc.SerialPort;
import jssc.SerialPortException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One serial port kept open by its own reader thread: opened by explicit path, read as bytes
 * arrive, and reopened with {@link Backoff} whenever it fails or disappears (an adapter pulled
 * out and plugged back in). Writes come from any thread.
 *
 * <p>jssc's event listener is not used: on a port that hung up its native wait returns at once and
 * spins. The reader instead polls the input count, which jssc reports as -1 once the kernel has
 * hung the port up (the adapter is gone, or the far end of a pseudo-terminal closed).
 */
public final class SerialLink {

    private static final Logger LOG = LoggerFactory.getLogger(SerialLink.class);
    /** Short enough that a reading arrives promptly, long enough to cost nothing while idle. */
    private static final long POLL_MILLIS = 10;
    private static final long PRESENCE_CHECK_MILLIS = 500;
    private static final int READ_CHUNK = 4096;
    /** Written in pieces no larger than this, each after the output queue has drained enough. */
    private static final int WRITE_CHUNK = 256;
    private static final int OUTPUT_QUEUE_LIMIT = 1024;
    /** A short write is retried, but a port that keeps failing is not written to forever. */
    private static final int WRITE_ATTEMPTS = 3;
    private static final byte[] LINE_END = {'\n'};

    private final String name;
    private final PortSettings settings;
    private final Backoff backoff;
    private final LinkListener listener;
    private final PortWriter writer;
    private final Object writeLock = new Object();
    /** A short write left part of a line on the wire that no line end has closed yet; guarded by writeLock. */
    private boolean fragmentOpen;
    private final AtomicLong bytesIn = new AtomicLong();
    private final AtomicLong bytesOut = new AtomicLong();
    private final AtomicLong reconnects = new AtomicLong();
    private final AtomicLong partialWrites = new AtomicLong();
    private volatile LinkState state = LinkState.STOPPED;
    private volatile SerialPort port;
    private volatile boolean running;
    private volatile String lastError;
    private volatile Instant since = Instant.now();
    private Thread reader;

    public SerialLink(String name, PortSettings settings, Backoff backoff, LinkListener listener) {
        this(name, settings, backoff, listener, PortWriter.JSSC);
    }

    public SerialLink(String name, PortSettings settings, Backoff backoff, LinkListener listener, PortWriter writer) {
        this.name = name;
        this.settings = settings;
        this.backoff = backoff;
        this.listener = listener;
        this.writer = writer;
    }

    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        setState(LinkState.OPENING);
        reader = new Thread(this::run, "serial-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    public synchronized void stop() {
        running = false;
        Thread thread = reader;
        reader = null;
        if (thread != null) {
            thread.interrupt();
            try {
                thread.join(TimeUnit.SECONDS.toMillis(3));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        close();
        setState(LinkState.STOPPED);
    }

    private void run() {
        int failures = 0;
        while (running) {
            try {
                open();
                failures = 0;
                setState(LinkState.CONNECTED);
                lastError = null;
                LOG.info("Serial gateway {} connected on {}", name, settings.port());
                listener.connected();
                readUntilLost();
            } catch (IOException e) {
                if (!running) {
                    break;
                }
                boolean wasConnected = state == LinkState.CONNECTED;
                close();
                failures++;
                lastError = e instanceof SerialPortException spe ? describe(spe) : e.getMessage();
                setState(LinkState.RETRYING);
                if (wasConnected) {
                    reconnects.incrementAndGet();
                    LOG.warn("Serial gateway {} lost {}: {}; reopening", name, settings.port(), lastError);
                    listener.disconnected(lastError);
                } else if (failures == 1) {
                    LOG.warn("Serial gateway {} cannot open {}: {}; retrying", name, settings.port(), lastError);
                }
                sleep(backoff.after(failures).toMillis());
            } catch (InterruptedException e) {
                break;
            } catch (RuntimeException e) {
                // A bug in a protocol handler must not end the reader for good.
                LOG.error("Serial gateway {} failed; reopening", name, e);
                close();
                failures++;
                lastError = String.valueOf(e.getMessage());
                setState(LinkState.RETRYING);
                listener.disconnected(lastError);
                sleep(backoff.after(failures).toMillis());
            }
        }
        if (state == LinkState.CONNECTED) {
            listener.disconnected("stopped");
        }
        close();
    }

    private void open() throws IOException {
        Path path = Path.of(settings.port());
        if (!Files.exists(path)) {
            throw new IOException(settings.port() + " does not exist (adapter unplugged?)");
        }
        SerialPort opened = new SerialPort(settings.port());
        opened.openPort();
        try {
            boolean pty = path.toRealPath().toString().startsWith("/dev/pts/");
            // A pseudo-terminal refuses the modem-control part of setParams, so jssc returns false
            // although the termios settings were applied: only a real port's refusal is an error.
            if (!opened.setParams(settings.baud(), settings.dataBits(), settings.stopBits(), settings.parity())) {
                if (!pty) {
                    throw new IOException(settings.port() + " refused " + settings.baud() + " baud "
                            + settings.dataBits() + " data bits");
                }
                LOG.debug("{} is a pseudo-terminal; setParams reported false, which is expected there", settings.port());
            }
            if (!opened.setFlowControlMode(settings.flowControl()) && !pty) {
                throw new IOException(settings.port() + " refused the flow control setting");
            }
            // Whatever queued up while nobody listened is stale or a half line.
            opened.purgePort(SerialPort.PURGE_RXCLEAR | SerialPort.PURGE_TXCLEAR);
        } catch (IOException | RuntimeException e) {
            closeQuietly(opened);
            throw e;
        }
        synchronized (writeLock) {
            fragmentOpen = false; // a fresh port: whatever was half written went with the old one
        }
        port = opened;
    }

    private void readUntilLost() throws IOException, InterruptedException {
        Path path = Path.of(settings.port());
        long nextPresenceCheck = System.nanoTime();
        while (running) {
            SerialPort current = port;
            int available = current.getInputBufferBytesCount();
            if (available < 0) {
                throw new IOException(settings.port() + " hung up (adapter unplugged?)");
            }
            if (available == 0) {
                if (System.nanoTime() - nextPresenceCheck >= 0) {
                    if (!Files.exists(path)) {
                        throw new IOException(settings.port() + " disappeared (adapter unplugged?)");
                    }
                    nextPresenceCheck = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(PRESENCE_CHECK_MILLIS);
                }
                Thread.sleep(POLL_MILLIS);
                continue;
            }
            byte[] chunk = current.readBytes(Math.min(available, READ_CHUNK));
            if (chunk != null && chunk.length > 0) {
                bytesIn.addAndGet(chunk.length);
                listener.received(chunk);
            }
        }
    }

    /**
     * Writes {@code data} whole. jssc's write reports only success or failure, so when a piece goes
     * out short (how much of it left is unknown) a line end is sent to close the broken fragment,
     * which the device then refuses as one bad line, and the piece is sent again, up to
     * {@value #WRITE_ATTEMPTS} times; a fragment the attempts could not close is closed before the
     * next write. Line-based devices are all this link serves, so that is safe.
     *
     * @throws IOException when the port is not open or a piece cannot be written whole
     */
    public void write(byte[] data) throws IOException {
        synchronized (writeLock) {
            SerialPort current = port;
            if (current == null || state != LinkState.CONNECTED) {
                throw new IOException(settings.port() + " is not open");
            }
            try {
                for (int offset = 0; offset < data.length; offset += WRITE_CHUNK) {
                    byte[] piece = Arrays.copyOfRange(data, offset, Math.min(data.length, offset + WRITE_CHUNK));
                    writeWhole(current, piece);
                    bytesOut.addAndGet(piece.length);
                }
            } catch (SerialPortException e) {
                throw new IOException(describe(e), e);
            }
        }
    }

    private void writeWhole(SerialPort current, byte[] piece) throws SerialPortException, IOException {
        for (int attempt = 1; attempt <= WRITE_ATTEMPTS; attempt++) {
            awaitRoom(current);
            if (fragmentOpen) {
                if (!writer.write(current, LINE_END)) {
                    partialWrites.incrementAndGet();
                    continue;
                }
                fragmentOpen = false;
            }
            if (writer.write(current, piece)) {
                return;
            }
            partialWrites.incrementAndGet();
            fragmentOpen = true;
        }
        throw new IOException("writing to " + settings.port() + " failed " + WRITE_ATTEMPTS + " times");
    }

    private static void awaitRoom(SerialPort current) throws SerialPortException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
        while (current.getOutputBufferBytesCount() > OUTPUT_QUEUE_LIMIT && System.nanoTime() < deadline) {
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void close() {
        SerialPort current = port;
        port = null;
        if (current != null) {
            synchronized (writeLock) {
                closeQuietly(current);
            }
        }
    }

    private static void closeQuietly(SerialPort opened) {
        try {
            if (opened.isOpened()) {
                opened.closePort();
            }
        } catch (SerialPortException | RuntimeException e) {
            LOG.debug("Closing {} failed: {}", opened.getPortName(), e.getMessage());
        }
    }

    private void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private void setState(LinkState next) {
        if (state != next) {
            state = next;
            since = Instant.now();
        }
    }

    /** jssc's message repeats the port name, which the logs and health already show. */
    private static String describe(SerialPortException e) {
        return e.getExceptionType();
    }

    public LinkState state() {
        return state;
    }

    public String port() {
        return settings.port();
    }

    /** The link's figures for health reports. */
    public Map<String, Object> details() {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("port", settings.port());
        details.put("state", state.name().toLowerCase(java.util.Locale.ROOT));
        details.put("since", since.toString());
        details.put("bytesIn", bytesIn.get());
        details.put("bytesOut", bytesOut.get());
        details.put("reconnects", reconnects.get());
        details.put("partialWrites", partialWrites.get());
        if (lastError != null) {
            details.put("lastError", lastError);
        }
        return details;
    }
}
