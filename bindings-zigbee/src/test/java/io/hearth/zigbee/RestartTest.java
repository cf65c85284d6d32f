package io.hearth.zigbee;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.device.DeviceId;
import io.hearth.core.device.DeviceTopics;
import io.hearth.zigbee.simulated.DemoNetwork;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class RestartTest {

    private static final DeviceId NEW_BULB = DeviceId.zigbee(DemoNetwork.NEW_BULB);

    @Test
    void aRestartResumesTheSameNetworkAndKeepsDevicesPairedThroughPairingWithoutPairingAgain() throws Exception {
        HubUnderTest hub = HubUnderTest.start(TestOptions.quiet());
        try {
            PairingAndRemovalTest.awaitNetwork(hub);
            hub.zigbee.startPairing(Duration.ofSeconds(30));
            awaitDevices(hub, 6);
            hub.zigbee.stopPairing();
            String network = networkRow(hub);
            assertThat(network).doesNotContain("5A6967426565416C6C69616E63653039");
            Thread.sleep(500); // the stack writes its node records a moment after each change

            hub = hub.restart(TestOptions.quiet());

            try (TopicRecorder topics = new TopicRecorder(hub.broker, "hearth/devices/#")) {
                awaitDevices(hub, 6);
                topics.await(DeviceTopics.availability(NEW_BULB), m -> m.payloadText().equals("online"));
                assertThat(hub.zigbee.pairingStatus().open()).isFalse();
                assertThat(networkRow(hub)).isEqualTo(network);
                // Six devices and the coordinator's own node.
                assertThat(nodeCount(hub)).isEqualTo(7);
            }
        } finally {
            hub.close();
        }
    }

    private static void awaitDevices(HubUnderTest hub, int count) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (hub.zigbee.devices().size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(hub.zigbee.devices()).hasSize(count);
    }

    private static String networkRow(HubUnderTest hub) throws Exception {
        try (Connection c = hub.store.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT channel, pan_id, extended_pan_id, network_key FROM zigbee_network")) {
            assertThat(r.next()).isTrue();
            String row = r.getInt(1) + "/" + r.getInt(2) + "/" + r.getString(3) + "/" + r.getString(4);
            assertThat(r.next()).isFalse();
            return row;
        }
    }

    private static int nodeCount(HubUnderTest hub) throws Exception {
        try (Connection c = hub.store.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT COUNT(*) FROM zigbee_node")) {
            r.next();
            return r.getInt(1);
        }
    }
}
