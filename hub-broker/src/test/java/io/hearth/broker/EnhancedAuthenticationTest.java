package io.hearth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MQTT 5 enhanced authentication (§4.12), which the hub does not offer. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class EnhancedAuthenticationTest {

    private static final long WAIT = 5000;
    private RunningBroker running;
    private final TestClients clients = new TestClients();

    @AfterEach
    void closeEverything() throws Exception {
        clients.closeAll();
        running.close();
    }

    private static MqttConnectionOptions options() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(5);
        options.setAutomaticReconnect(false);
        return options;
    }

    @Test
    void aConnectWithAnAuthenticationMethodIsRefusedAsABadAuthenticationMethod() throws Exception {
        running = RunningBroker.open();
        MqttAsyncClient client = clients.create(running.tcp(), "challenger");
        MqttConnectionOptions options = options();
        options.setAuthMethod("SCRAM-SHA-256");
        options.setAuthData("client-first".getBytes(StandardCharsets.UTF_8));
        assertThatThrownBy(() -> client.connect(options).waitForCompletion(WAIT))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x8C));
        assertThat(client.isConnected()).isFalse();
    }

    @Test
    void theRefusalOfAnAuthenticationMethodCarriesAReasonString() throws Exception {
        running = RunningBroker.open();
        try (Socket socket = new Socket("127.0.0.1", running.port)) {
            socket.setSoTimeout(5000);
            // CONNECT, MQTT 5, clean start, keep alive 60, Authentication Method "SCRM", client id "raw".
            socket.getOutputStream().write(new byte[] {0x10, 0x17, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 60,
                    7, 0x15, 0, 4, 'S', 'C', 'R', 'M', 0, 3, 'r', 'a', 'w'});
            byte[] connAck = packet(socket.getInputStream());
            assertThat(connAck[0] & 0xFF).as("CONNACK").isEqualTo(0x20);
            assertThat(connAck[3] & 0xFF).as("reason code").isEqualTo(0x8C);
            assertThat(new String(connAck, StandardCharsets.UTF_8)).contains("authentication");
            assertThat(socket.getInputStream().read()).as("closed after the refusal").isEqualTo(-1);
        }
    }

    /**
     * Written byte by byte: Paho 1.2.5 sets a reserved flag bit on the AUTH packets it sends (which
     * the broker rightly refuses as malformed), and the HiveMQ client sends AUTH only within an
     * authentication method that CONNECT agreed.
     */
    @Test
    void anAuthPacketAfterAPlainConnectEndsTheConnectionWithAProtocolError() throws Exception {
        running = RunningBroker.open();
        try (Socket socket = new Socket("127.0.0.1", running.port)) {
            socket.setSoTimeout(5000);
            socket.getOutputStream().write(new byte[] {0x10, 0x10, 0, 4, 'M', 'Q', 'T', 'T', 5, 0x02, 0, 60,
                    0, 0, 3, 'r', 'a', 'w'});
            byte[] connAck = packet(socket.getInputStream());
            assertThat(connAck[3]).as("accepted").isZero();
            // AUTH, reason code 0x19 (re-authenticate), no properties.
            socket.getOutputStream().write(new byte[] {(byte) 0xF0, 2, 0x19, 0});
            byte[] disconnect = packet(socket.getInputStream());
            assertThat(disconnect[0] & 0xFF).as("DISCONNECT").isEqualTo(0xE0);
            assertThat(disconnect[2] & 0xFF).as("reason code").isEqualTo(0x82);
            assertThat(new String(disconnect, StandardCharsets.UTF_8)).contains("AUTH");
            assertThat(socket.getInputStream().read()).as("closed after the DISCONNECT").isEqualTo(-1);
        }
    }

    /** One whole MQTT packet, fixed header included (Remaining Length below 128 here). */
    private static byte[] packet(InputStream in) throws IOException {
        int first = in.read();
        int length = in.read();
        assertThat(length).as("a short packet").isBetween(0, 127);
        byte[] packet = new byte[2 + length];
        packet[0] = (byte) first;
        packet[1] = (byte) length;
        int read = 2;
        while (read < packet.length) {
            int n = in.read(packet, read, packet.length - read);
            assertThat(n).as("the rest of the packet").isPositive();
            read += n;
        }
        return packet;
    }
}
