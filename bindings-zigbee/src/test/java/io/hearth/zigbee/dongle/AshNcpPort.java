package io.hearth.zigbee.dongle;

import com.zsmartsystems.zigbee.transport.ZigBeePort;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/**
 * A {@link ZigBeePort} with a Silicon Labs network co-processor on the other end, as far as the ASH
 * link layer goes (the UART protocol EZSP runs over): it checks and strips the host's framing (byte
 * stuffing, CRC, data randomisation), acknowledges data frames, answers a reset with RSTACK, and
 * hands each EZSP frame to a script whose answer goes back framed the same way. Like a real
 * co-processor it sends a data frame again when the host does not acknowledge it in time.
 */
final class AshNcpPort implements ZigBeePort {

    static final int RST = 0xC0;
    static final int RSTACK = 0xC1;
    private static final int FLAG = 0x7E;
    private static final int ESCAPE = 0x7D;
    private static final int CANCEL = 0x1A;
    private static final int SUBSTITUTE = 0x18;

    /** What the host sent, frame by frame: the control byte and the de-randomised data. */
    record HostFrame(int control, int[] data, boolean crcValid) {

        boolean isData() {
            return (control & 0x80) == 0;
        }

        boolean isAck() {
            return (control & 0xE0) == 0x80;
        }

        boolean isNak() {
            return (control & 0xE0) == 0xA0;
        }
    }

    private final BlockingQueue<Integer> toHost = new LinkedBlockingQueue<>();
    private final ByteArrayOutputStream incoming = new ByteArrayOutputStream();
    private final List<HostFrame> received = new ArrayList<>();
    private final UnaryOperator<int[]> firmware;
    private final ScheduledExecutorService retransmitTimer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "ash-ncp-retransmit");
        thread.setDaemon(true);
        return thread;
    });
    private int ncpFrame;
    private int hostFrameExpected;
    private boolean corruptNextReply;
    /** The last data frame sent and not yet acknowledged (its EZSP content and frame number), or null. */
    private int[] unacknowledged;
    private int unacknowledgedFrame;
    private int retransmissions;

    /** @param firmware the EZSP answer to each EZSP frame, or null for none */
    AshNcpPort(UnaryOperator<int[]> firmware) {
        this.firmware = firmware;
    }

    /** The next EZSP answer goes out with a broken CRC, as line noise would leave it. */
    synchronized void corruptNextReply() {
        corruptNextReply = true;
    }

    synchronized List<HostFrame> received() {
        return List.copyOf(received);
    }

    synchronized int retransmissions() {
        return retransmissions;
    }

    @Override
    public boolean open() {
        return true;
    }

    @Override
    public boolean open(int baudRate) {
        return true;
    }

    @Override
    public boolean open(int baudRate, FlowControl flowControl) {
        return true;
    }

    @Override
    public void close() {
        retransmitTimer.shutdownNow();
    }

    @Override
    public synchronized void write(int value) {
        if (value == CANCEL || value == SUBSTITUTE) {
            incoming.reset();
            return;
        }
        if (value != FLAG) {
            incoming.write(value);
            return;
        }
        byte[] stuffed = incoming.toByteArray();
        incoming.reset();
        int[] frame = unstuff(stuffed);
        if (frame.length >= 3) {
            frameFromHost(frame);
        }
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
            Integer value = toHost.poll(Math.min(timeout, 100), TimeUnit.MILLISECONDS);
            return value == null ? -1 : value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    @Override
    public void purgeRxBuffer() {
        toHost.clear();
    }

    private void frameFromHost(int[] frame) {
        int control = frame[0];
        int[] body = Arrays.copyOfRange(frame, 0, frame.length - 2);
        int crc = (frame[frame.length - 2] << 8) | frame[frame.length - 1];
        boolean valid = crc(body) == crc;
        int[] data = Arrays.copyOfRange(frame, 1, frame.length - 2);
        HostFrame hostFrame = new HostFrame(control, (control & 0x80) == 0 ? randomise(data) : data, valid);
        received.add(hostFrame);
        if (!valid) {
            return;
        }
        if (control == RST) {
            ncpFrame = 0;
            hostFrameExpected = 0;
            // Version 2 of ASH, reset reason "software".
            send(new int[] {RSTACK, 0x02, 0x0B}, false);
        } else if (hostFrame.isData()) {
            int frameNumber = (control >> 4) & 0x07;
            if (frameNumber == hostFrameExpected) {
                hostFrameExpected = (hostFrameExpected + 1) & 0x07;
            }
            send(new int[] {0x80 | hostFrameExpected}, false);
            int[] answer = firmware.apply(hostFrame.data());
            if (answer != null) {
                boolean corrupt = corruptNextReply;
                corruptNextReply = false;
                unacknowledged = answer;
                unacknowledgedFrame = ncpFrame;
                ncpFrame = (ncpFrame + 1) & 0x07;
                sendData(answer, unacknowledgedFrame, corrupt, false);
                retransmitTimer.schedule(this::retransmitIfUnacknowledged, 300, TimeUnit.MILLISECONDS);
            }
        } else if (hostFrame.isAck() && (control & 0x07) == ((unacknowledgedFrame + 1) & 0x07)) {
            unacknowledged = null;
        }
    }

    private synchronized void retransmitIfUnacknowledged() {
        if (unacknowledged != null) {
            retransmissions++;
            sendData(unacknowledged, unacknowledgedFrame, false, true);
            retransmitTimer.schedule(this::retransmitIfUnacknowledged, 300, TimeUnit.MILLISECONDS);
        }
    }

    private void sendData(int[] ezsp, int frameNumber, boolean corrupt, boolean retransmission) {
        int control = (frameNumber << 4) | (retransmission ? 0x08 : 0) | hostFrameExpected;
        int[] randomised = randomise(ezsp);
        int[] frame = new int[randomised.length + 1];
        frame[0] = control;
        System.arraycopy(randomised, 0, frame, 1, randomised.length);
        send(frame, corrupt);
    }

    private void send(int[] body, boolean corrupt) {
        int crc = crc(body) ^ (corrupt ? 0x5555 : 0);
        int[] withCrc = Arrays.copyOf(body, body.length + 2);
        withCrc[body.length] = (crc >> 8) & 0xFF;
        withCrc[body.length + 1] = crc & 0xFF;
        for (int b : withCrc) {
            if (b == FLAG || b == ESCAPE || b == 0x11 || b == 0x13 || b == SUBSTITUTE || b == CANCEL) {
                toHost.add(ESCAPE);
                toHost.add(b ^ 0x20);
            } else {
                toHost.add(b);
            }
        }
        toHost.add(FLAG);
    }

    private static int[] unstuff(byte[] stuffed) {
        int[] out = new int[stuffed.length];
        int length = 0;
        boolean escaped = false;
        for (byte raw : stuffed) {
            int b = raw & 0xFF;
            if (b == ESCAPE) {
                escaped = true;
                continue;
            }
            out[length++] = escaped ? b ^ 0x20 : b;
            escaped = false;
        }
        return Arrays.copyOf(out, length);
    }

    /** The data field is XORed with a pseudo-random sequence; applying it twice gives the data back. */
    static int[] randomise(int[] data) {
        int[] out = new int[data.length];
        int random = 0x42;
        for (int i = 0; i < data.length; i++) {
            out[i] = data[i] ^ random;
            random = (random & 1) == 0 ? random >> 1 : (random >> 1) ^ 0xB8;
        }
        return out;
    }

    /** CRC-CCITT: polynomial 0x1021, starting from 0xFFFF, over the control byte and the data as sent. */
    static int crc(int[] bytes) {
        int crc = 0xFFFF;
        for (int b : bytes) {
            crc ^= b << 8;
            for (int bit = 0; bit < 8; bit++) {
                crc = (crc & 0x8000) != 0 ? (crc << 1) ^ 0x1021 : crc << 1;
            }
            crc &= 0xFFFF;
        }
        return crc;
    }
}
