package io.hearth.zigbee.dongle;

import static org.assertj.core.api.Assertions.assertThat;

import com.zsmartsystems.zigbee.IeeeAddress;
import com.zsmartsystems.zigbee.ZigBeeNodeStatus;
import com.zsmartsystems.zigbee.ZigBeeStatus;
import com.zsmartsystems.zigbee.aps.ZigBeeApsFrame;
import com.zsmartsystems.zigbee.transport.ZigBeeTransportProgressState;
import com.zsmartsystems.zigbee.transport.ZigBeeTransportReceive;
import com.zsmartsystems.zigbee.transport.ZigBeeTransportState;
import com.zsmartsystems.zigbee.transport.ZigBeeTransportTransmit;
import io.hearth.core.config.ZigbeeConfig;
import org.junit.jupiter.api.Test;

/**
 * The real Telegesis driver, as the binding builds it for {@code dongle: telegesis}, talking AT
 * commands over a stream-backed port to a scripted R309 firmware.
 */
class TelegesisDriverTest {

    private static String firmware(String command) {
        if (command.equals("ATI")) {
            return "Telegesis ETRX357\r\nR309C\r\n000D6F0000D5F1E7\r\n\r\nOK\r\n";
        }
        return "OK\r\n";
    }

    @Test
    void theTelegesisDriverInitialisesOverAtCommandsAndReadsTheDongleIdentity() {
        ScriptedModemPort port = new ScriptedModemPort(TelegesisDriverTest::firmware);
        ZigBeeTransportTransmit driver = driverOn(port);
        try {
            assertThat(driver.initialize()).isEqualTo(ZigBeeStatus.SUCCESS);
            assertThat(driver.getIeeeAddress()).isEqualTo(new IeeeAddress("000D6F0000D5F1E7"));
            assertThat(driver.getVersionString()).contains("R309C");
            assertThat(port.commands()).contains("ATZ", "ATI");
            assertThat(port.commands()).anyMatch(c -> c.startsWith("ATS"));
        } finally {
            driver.shutdown();
        }
    }

    @Test
    void garbageFromTheDongleDoesNotStopTheDriver() {
        ScriptedModemPort port = new ScriptedModemPort(command -> {
            if (command.equals("ATI")) {
                return "\u0000\u00ff#!junk\r\nTelegesis ETRX357\r\nR309C\r\n000D6F0000D5F1E7\r\n\r\nOK\r\n";
            }
            return "NOT-A-FRAME\r\nOK\r\n";
        });
        ZigBeeTransportTransmit driver = driverOn(port);
        try {
            port.inject("\r\n+N=garbage,,\r\n@@@@\r\n");
            assertThat(driver.initialize()).isEqualTo(ZigBeeStatus.SUCCESS);
            assertThat(driver.getIeeeAddress()).isEqualTo(new IeeeAddress("000D6F0000D5F1E7"));
        } finally {
            driver.shutdown();
        }
    }

    /** The driver reports to the network manager; here nobody needs to listen. */
    private static ZigBeeTransportTransmit driverOn(ScriptedModemPort port) {
        ZigBeeTransportTransmit driver = SerialDongles.driver(ZigbeeConfig.Dongle.TELEGESIS, port);
        driver.setZigBeeTransportReceive(new ZigBeeTransportReceive() {
            @Override
            public void receiveCommand(ZigBeeApsFrame frame) {
            }

            @Override
            public void setTransportState(ZigBeeTransportState state) {
            }

            @Override
            public void nodeStatusUpdate(ZigBeeNodeStatus status, Integer nwk, IeeeAddress ieee) {
            }

            @Override
            public void receiveCommandState(int msgTag, ZigBeeTransportProgressState state) {
            }
        });
        return driver;
    }
}
