package io.hearth.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.serial.link.LinkListener;
import io.hearth.serial.link.LinkState;
import io.hearth.serial.link.PortSettings;
import io.hearth.serial.link.PortWriter;
import io.hearth.serial.link.SerialLink;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import jssc.SerialPort;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Writes that go short or fail, through real jssc ports on a pseudo-terminal pair. A pty never
 * refuses a small write, so the writer here does what jssc does after a short system call: the
 * first bytes really go out, and the answer is false.
 */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PartialWritesOverSerialTest {

    private static final String COMMAND = "7;4;1;1;2;1\n";

    @TempDir
    Path dir;
    private SocatPair socat;
    private SerialLink link;
    private SimulatedDevice device;
    /** For each write in turn: how many bytes really go out before it reports failure; none left = a whole write. */
    private final Queue<Integer> shortWrites = new ConcurrentLinkedQueue<>();

    private final PortWriter flaky = (SerialPort port, byte[] piece) -> {
        Integer written = shortWrites.poll();
        if (written == null) {
            return port.writeBytes(piece);
        }
        if (written > 0) {
            port.writeBytes(Arrays.copyOf(piece, written));
        }
        return false;
    };

    @BeforeEach
    void plugIn() throws Exception {
        SocatPair.requireSocat();
        socat = SocatPair.start(dir);
        link = new SerialLink("ms1", new PortSettings(socat.hub.toString(), 115_200, 8, 1, 0, 0), TestHub.FAST,
                new LinkListener() {
                    @Override
                    public void connected() {
                    }

                    @Override
                    public void received(byte[] chunk) {
                    }

                    @Override
                    public void disconnected(String reason) {
                    }
                }, flaky);
        link.start();
        device = new SimulatedDevice(socat.device);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (link.state() != LinkState.CONNECTED && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(link.state()).isEqualTo(LinkState.CONNECTED);
    }

    @AfterEach
    void unplug() throws Exception {
        if (device != null) {
            device.close();
        }
        if (link != null) {
            link.stop();
        }
        if (socat != null) {
            socat.close();
        }
    }

    @Test
    void aShortWriteIsClosedAsOneBrokenLineAndTheLineIsSentAgainWhole() throws Exception {
        shortWrites.add(5);
        link.write(COMMAND.getBytes(StandardCharsets.US_ASCII));

        assertThat(device.readLine(5)).isEqualTo("7;4;1");
        assertThat(device.readLine(5)).isEqualTo("7;4;1;1;2;1");
        assertThat(link.details()).containsEntry("partialWrites", 1L).containsEntry("bytesOut", (long) COMMAND.length());
    }

    @Test
    void aWriteThatFailsOnceIsRetriedAndTheDeviceSeesOnlyAnEmptyLineBeforeIt() throws Exception {
        shortWrites.add(0);
        link.write(COMMAND.getBytes(StandardCharsets.US_ASCII));

        assertThat(device.readLine(5)).isEmpty();
        assertThat(device.readLine(5)).isEqualTo("7;4;1;1;2;1");
        assertThat(device.readLine(1)).isNull();
    }

    @Test
    void aPortThatKeepsFailingRefusesTheWriteNamingThePortAndStaysUsable() throws Exception {
        shortWrites.addAll(java.util.List.of(3, 0, 0, 0, 0, 0));
        assertThatThrownBy(() -> link.write(COMMAND.getBytes(StandardCharsets.US_ASCII)))
                .isInstanceOf(IOException.class).hasMessageContaining(socat.hub.toString()).hasMessageContaining("failed");
        assertThat(link.state()).isEqualTo(LinkState.CONNECTED);

        shortWrites.clear();
        link.write(COMMAND.getBytes(StandardCharsets.US_ASCII));
        assertThat(device.readLine(5)).isEqualTo("7;4");
        // The failed attempts could not close the broken fragment; the next write does, before its line.
        assertThat(device.readLine(5)).isEqualTo("7;4;1;1;2;1");
    }
}
