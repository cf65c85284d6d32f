package io.hearth.zigbee.dongle;

import static org.assertj.core.api.Assertions.assertThat;

import com.zsmartsystems.zigbee.dongle.ember.ezsp.EzspFrame;
import com.zsmartsystems.zigbee.dongle.ember.ezsp.command.EzspVersionRequest;
import com.zsmartsystems.zigbee.dongle.ember.ezsp.command.EzspVersionResponse;
import com.zsmartsystems.zigbee.dongle.ember.internal.EzspFrameHandler;
import com.zsmartsystems.zigbee.dongle.ember.internal.ash.AshFrameHandler;
import com.zsmartsystems.zigbee.dongle.ember.internal.transaction.EzspSingleResponseTransaction;
import com.zsmartsystems.zigbee.dongle.ember.internal.transaction.EzspTransaction;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The library's ASH link layer, which the {@code ember} dongle driver runs EZSP over, against a
 * stream-backed port with a scripted network co-processor: the reset handshake, an EZSP exchange
 * in both directions with randomised, checksummed and stuffed frames, and a damaged frame from the
 * dongle dropped and recovered by its retransmission.
 */
class AshDriverTest {

    /** EZSP "version" (frame id 0) answered as an NCP running protocol 4 on stack 6.7. */
    private static int[] firmware(int[] ezsp) {
        if (ezsp.length >= 4 && ezsp[2] == EzspVersionRequest.FRAME_ID) {
            return new int[] {ezsp[0], 0x80, EzspVersionResponse.FRAME_ID, 4, 2, 0x00, 0x67};
        }
        return null;
    }

    private AshNcpPort ncp;
    private final List<Boolean> linkStates = new CopyOnWriteArrayList<>();
    private final AshFrameHandler ash = new AshFrameHandler(new EzspFrameHandler() {
        @Override
        public void handlePacket(EzspFrame frame) {
        }

        @Override
        public void handleLinkStateChange(boolean connected) {
            linkStates.add(connected);
        }
    });

    @AfterEach
    void closeTheLink() {
        ash.setClosing();
        ash.close();
        if (ncp != null) {
            ncp.close();
        }
    }

    @Test
    void theLinkResetsAndCarriesAnEzspExchangeBothWays() throws Exception {
        ncp = new AshNcpPort(AshDriverTest::firmware);
        ash.start(ncp);
        ash.connect();
        awaitLinkUp();

        EzspVersionResponse version = version(ncp);
        assertThat(version.getProtocolVersion()).isEqualTo(4);
        assertThat(version.getStackVersion()).isEqualTo(0x6700);

        List<AshNcpPort.HostFrame> sent = ncp.received();
        assertThat(sent).allMatch(AshNcpPort.HostFrame::crcValid);
        assertThat(sent.get(0).control()).isEqualTo(AshNcpPort.RST);
        AshNcpPort.HostFrame request = sent.stream().filter(AshNcpPort.HostFrame::isData).findFirst().orElseThrow();
        assertThat(request.data()[2]).as("EZSP frame id of version").isEqualTo(EzspVersionRequest.FRAME_ID);
        awaitAckFromHost(ncp);
    }

    @Test
    void aDamagedFrameFromTheDongleIsDroppedAndItsRetransmissionAccepted() throws Exception {
        ncp = new AshNcpPort(AshDriverTest::firmware);
        ash.start(ncp);
        ash.connect();
        awaitLinkUp();

        version(ncp);
        ncp.corruptNextReply();
        EzspVersionResponse version = version(ncp);

        assertThat(version.getProtocolVersion()).isEqualTo(4);
        // The host dropped the damaged frame unacknowledged, so the dongle sent it again.
        assertThat(ncp.retransmissions()).isPositive();
    }

    private EzspVersionResponse version(AshNcpPort ncp) {
        EzspVersionRequest request = new EzspVersionRequest();
        request.setDesiredProtocolVersion(4);
        EzspTransaction transaction = ash.sendEzspTransaction(
                new EzspSingleResponseTransaction(request, EzspVersionResponse.class));
        assertThat(transaction.getResponse()).as("answer to version; host sent " + ncp.received()).isNotNull();
        return (EzspVersionResponse) transaction.getResponse();
    }

    private void awaitLinkUp() throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (!linkStates.contains(true) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(linkStates).contains(true);
    }

    private static void awaitAckFromHost(AshNcpPort ncp) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (ncp.received().stream().noneMatch(AshNcpPort.HostFrame::isAck) && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(ncp.received()).as("the host acknowledges the dongle's data frame").anyMatch(AshNcpPort.HostFrame::isAck);
    }
}
