package io.hearth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A subscriber that stops reading loses QoS 0 messages only beyond the configured backlog, and
 * each one lost is counted. With a backlog below the point where publishers are paused (256 KB
 * waiting), its publisher is not held up by it at all.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class Qos0BacklogTest {

    private static final int BACKLOG = 64 * 1024;
    private RunningBroker running;

    @AfterEach
    void stop() {
        running.close();
    }

    @Test
    void qos0ToAStalledSubscriberIsDroppedBeyondTheBacklogAndCounted() throws Exception {
        running = RunningBroker.withQos0Backlog(BACKLOG);
        try (Socket stalled = new Socket()) {
            // MQTT 3.1.1 CONNECT and SUBSCRIBE t/# at QoS 0, by hand; after its acks the client never reads again.
            stalled.setReceiveBufferSize(16 * 1024);
            stalled.connect(new java.net.InetSocketAddress("127.0.0.1", running.port));
            OutputStream out = stalled.getOutputStream();
            out.write(packet(0x10, concat(string("MQTT"), new byte[] {4, 2, 0, 60}, string("stalled"))));
            out.write(packet(0x82, concat(new byte[] {0, 1}, string("t/#"), new byte[] {0})));
            out.flush();
            InputStream in = stalled.getInputStream();
            assertThat(in.readNBytes(4)).containsExactly(0x20, 2, 0, 0);
            assertThat(in.readNBytes(5)).containsExactly(0x90, 3, 0, 1, 0);

            Mqtt5AsyncClient meter = Mqtt5Client.builder().identifier("meter").serverHost("127.0.0.1")
                    .serverPort(running.port).buildAsync();
            meter.connect().get(5, TimeUnit.SECONDS);
            byte[] reading = new byte[1024];
            int sent = 10_000;
            CompletableFuture<?>[] publishes = new CompletableFuture<?>[sent];
            for (int i = 0; i < sent; i++) {
                publishes[i] = meter.publishWith().topic("t/power").qos(MqttQos.AT_MOST_ONCE).payload(reading).send();
            }
            CompletableFuture.allOf(publishes).get(30, TimeUnit.SECONDS);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (running.broker.counters().messagesReceived() < sent && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            meter.disconnect().get(5, TimeUnit.SECONDS);

            long dropped = running.broker.counters().droppedQos0SlowCount();
            // Now read what did get through: with the count of drops it must add up to every message sent.
            stalled.setSoTimeout(2000);
            int delivered = countPublishes(in);
            System.out.printf("[measure] stalled QoS 0 subscriber: %d of %d dropped with a %d-byte backlog, %d delivered%n",
                    dropped, sent, BACKLOG, delivered);
            assertThat(dropped).isPositive();
            assertThat(delivered + dropped).as("delivered or counted as dropped").isEqualTo(sent);
        }
    }

    /** PUBLISH packets until the stream stays quiet for the socket's timeout. */
    private static int countPublishes(InputStream in) throws java.io.IOException {
        java.io.DataInputStream data = new java.io.DataInputStream(new java.io.BufferedInputStream(in));
        int publishes = 0;
        try {
            while (true) {
                int type = data.readUnsignedByte();
                int length = 0;
                int shift = 0;
                int digit;
                do {
                    digit = data.readUnsignedByte();
                    length |= (digit & 0x7F) << shift;
                    shift += 7;
                } while ((digit & 0x80) != 0);
                data.skipNBytes(length);
                if ((type >> 4) == 3) {
                    publishes++;
                }
            }
        } catch (java.net.SocketTimeoutException | java.io.EOFException quiet) {
            return publishes;
        }
    }

    private static byte[] packet(int type, byte[] body) {
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(type);
        int length = body.length;
        do {
            int digit = length % 128;
            length /= 128;
            packet.write(length > 0 ? digit | 0x80 : digit);
        } while (length > 0);
        packet.writeBytes(body);
        return packet.toByteArray();
    }

    private static byte[] string(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        return concat(new byte[] {(byte) (bytes.length >> 8), (byte) bytes.length}, bytes);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            all.writeBytes(part);
        }
        return all.toByteArray();
    }
}
