package io.hearth.zigbee.simulated;

import static org.assertj.core.api.Assertions.assertThat;

import com.zsmartsystems.zigbee.IeeeAddress;
import com.zsmartsystems.zigbee.ZigBeeNodeStatus;
import com.zsmartsystems.zigbee.ZigBeeNwkAddressMode;
import com.zsmartsystems.zigbee.ZigBeeStatus;
import com.zsmartsystems.zigbee.aps.ZigBeeApsFrame;
import com.zsmartsystems.zigbee.transport.ZigBeeTransportProgressState;
import com.zsmartsystems.zigbee.transport.ZigBeeTransportReceive;
import com.zsmartsystems.zigbee.transport.ZigBeeTransportState;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

/** The simulated radio on its own, with a recording stand-in for the network manager. */
class SimulatedCoordinatorTest {

    private final List<ZigBeeApsFrame> received = new CopyOnWriteArrayList<>();
    private final List<IeeeAddress> joined = new CopyOnWriteArrayList<>();

    private SimulatedCoordinator start(Set<IeeeAddress> known) {
        SimulatedCoordinator radio = new SimulatedCoordinator(
                new SimulatedCoordinator.Options(Duration.ZERO, Duration.ofMillis(10), 1), () -> known);
        radio.setZigBeeTransportReceive(new ZigBeeTransportReceive() {
            @Override
            public void receiveCommand(ZigBeeApsFrame frame) {
                received.add(frame);
            }

            @Override
            public void setTransportState(ZigBeeTransportState state) {
            }

            @Override
            public void nodeStatusUpdate(ZigBeeNodeStatus status, Integer nwk, IeeeAddress ieee) {
                joined.add(ieee);
            }

            @Override
            public void receiveCommandState(int msgTag, ZigBeeTransportProgressState state) {
            }
        });
        assertThat(radio.initialize()).isEqualTo(ZigBeeStatus.SUCCESS);
        assertThat(radio.startup(false)).isEqualTo(ZigBeeStatus.SUCCESS);
        return radio;
    }

    @Test
    void malformedFramesAreDroppedCountedAndTheRadioKeepsAnswering() throws Exception {
        SimulatedCoordinator radio = start(Set.of());
        try {
            radio.sendCommand(1, zcl(0x3A01, 0x0006, new int[] {0x00}));
            radio.sendCommand(2, zdo(0x3A01, 0x0002, new int[] {}));
            awaitCount(radio, 2);
            radio.sendCommand(3, zcl(0x3A01, 0x0006, new int[] {0x00, 0x07, 0x00, 0x00, 0x00}));
            long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
            while (received.stream().noneMatch(f -> f.getCluster() == 0x0006) && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertThat(received).anyMatch(f -> f.getCluster() == 0x0006 && f.getSourceAddress() == 0x3A01);
        } finally {
            radio.shutdown();
        }
    }

    @Test
    void onlyDevicesTheHubDoesNotKnowYetJoinAtStartup() throws Exception {
        SimulatedCoordinator radio = start(Set.of(new IeeeAddress(String.format("%016X", DemoNetwork.KITCHEN_PLUG))));
        try {
            Thread.sleep(1000);
            assertThat(joined).hasSize(4).doesNotContain(new IeeeAddress(String.format("%016X", DemoNetwork.KITCHEN_PLUG)));
        } finally {
            radio.shutdown();
        }
    }

    private static void awaitCount(SimulatedCoordinator radio, long count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(2).toNanos();
        while (radio.badFrames() < count && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(radio.badFrames()).isEqualTo(count);
    }

    private static ZigBeeApsFrame zcl(int nwk, int cluster, int[] payload) {
        ZigBeeApsFrame frame = frame(nwk, cluster, payload);
        frame.setProfile(0x0104);
        frame.setSourceEndpoint(1);
        frame.setDestinationEndpoint(1);
        return frame;
    }

    private static ZigBeeApsFrame zdo(int nwk, int cluster, int[] payload) {
        ZigBeeApsFrame frame = frame(nwk, cluster, payload);
        frame.setProfile(0);
        return frame;
    }

    private static ZigBeeApsFrame frame(int nwk, int cluster, int[] payload) {
        ZigBeeApsFrame frame = new ZigBeeApsFrame();
        frame.setDestinationAddress(nwk);
        frame.setAddressMode(ZigBeeNwkAddressMode.DEVICE);
        frame.setCluster(cluster);
        frame.setPayload(payload);
        return frame;
    }
}
