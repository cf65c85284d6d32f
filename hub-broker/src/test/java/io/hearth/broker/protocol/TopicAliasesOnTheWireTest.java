package io.hearth.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.broker.RunningBroker;
import io.hearth.core.bus.BusClient;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Server-to-client topic aliases checked byte by byte against MQTT 5 §3.3.2.3.4 with a raw socket:
 * the Java and C client libraries at hand (Paho 1.2.5, libmosquitto 2.0.11) do not resolve aliases
 * they receive even when they ask for them.
 */
class TopicAliasesOnTheWireTest {

    private RunningBroker running;

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void aClientAllowingOneAliasGetsTheTopicOnceThenOnlyTheAlias() throws Exception {
        running = RunningBroker.open();
        try (Socket socket = new Socket("127.0.0.1", running.port)) {
            socket.setSoTimeout(5000);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            // CONNECT, MQTT 5, clean start, keep alive 60, properties: Topic Alias Maximum = 1; client id "p".
            out.write(HexFormat.of().parseHex("1011" + "00044d515454" + "05" + "02" + "003c" + "03220001" + "000170"));
            assertThat(packet(in)[0] & 0xF0).as("CONNACK").isEqualTo(0x20);
            // SUBSCRIBE packet id 1, no properties, "home/#" at QoS 0.
            out.write(HexFormat.of().parseHex("820c" + "0001" + "00" + "0006686f6d652f23" + "00"));
            assertThat(packet(in)[0] & 0xF0).as("SUBACK").isEqualTo(0x90);

            BusClient sensor = running.broker.connect("sensor");
            for (int i = 0; i < 2; i++) {
                sensor.publish(BusMessage.of("home/a", "1", Qos.AT_MOST_ONCE, false)).toCompletableFuture().join();
            }
            // Topic "home/a", properties: Topic Alias (0x23) = 1, payload "1".
            assertThat(HexFormat.of().formatHex(packet(in))).isEqualTo("300d" + "0006686f6d652f61" + "03230001" + "31");
            // Empty topic, the same alias.
            assertThat(HexFormat.of().formatHex(packet(in))).isEqualTo("3007" + "0000" + "03230001" + "31");
        }
    }

    /** One whole MQTT packet, fixed header included (Remaining Length below 128 here). */
    private static byte[] packet(DataInputStream in) throws Exception {
        int type = in.readUnsignedByte();
        int length = in.readUnsignedByte();
        byte[] packet = new byte[2 + length];
        packet[0] = (byte) type;
        packet[1] = (byte) length;
        in.readFully(packet, 2, length);
        return packet;
    }
}
