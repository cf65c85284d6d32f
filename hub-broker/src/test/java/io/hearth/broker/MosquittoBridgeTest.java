package io.hearth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hearth.core.testing.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real Mosquitto bridges to Hearth, announcing itself with protocol level 0x84, both ways. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MosquittoBridgeTest {

    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

    @TempDir
    Path dir;

    private RunningBroker running;
    private Process mosquitto;
    private final V3TestClients clients = new V3TestClients();

    @AfterEach
    void stop() throws Exception {
        clients.closeAll();
        if (mosquitto != null) {
            mosquitto.destroy();
            mosquitto.waitFor(10, TimeUnit.SECONDS);
        }
        if (running != null) {
            running.close();
        }
    }

    private MqttClient connect(String uri, String id) throws Exception {
        return clients.connect(uri, id, new MqttConnectOptions());
    }

    @Test
    void messagesCrossAMosquittoBridgeInBothDirections() throws Exception {
        boolean installed = Files.isExecutable(MOSQUITTO);
        if (Boolean.getBoolean("hearth.e2e.required")) {
            assertThat(installed).as("mosquitto installed").isTrue();
        }
        assumeTrue(installed, "mosquitto not installed");
        running = RunningBroker.open();
        int mosquittoPort = FreePorts.next();
        Path config = Files.writeString(dir.resolve("mosquitto.conf"), String.join("\n",
                "listener " + mosquittoPort + " 127.0.0.1",
                "allow_anonymous true",
                "persistence false",
                "connection to-hearth",
                "address 127.0.0.1:" + running.port,
                "bridge_protocol_version mqttv311",
                "try_private true",
                "cleansession true",
                "topic garden/# both 1",
                ""));
        mosquitto = new ProcessBuilder(MOSQUITTO.toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();

        // The bridge subscribes on Hearth once it is up; wait for its subscription to arrive.
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(15);
        while (running.broker.subscriptionCount() == 0 && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
        assertThat(running.broker.subscriptionCount()).as("bridge subscribed; mosquitto log: %s",
                Files.readString(dir.resolve("mosquitto.log"))).isPositive();

        // Recognised as a bridge on its first try (protocol level 0x84): its subscription gets
        // No Local and Retain As Published, so nothing it sends comes back to it.
        assertThat(running.sessions.all()).singleElement().satisfies(bridge ->
                assertThat(bridge.subscriptions().values()).singleElement().satisfies(subscription -> {
                    assertThat(subscription.filter()).isEqualTo("garden/#");
                    assertThat(subscription.noLocal()).isTrue();
                    assertThat(subscription.retainAsPublished()).isTrue();
                }));

        BlockingQueue<String> atHearth = new LinkedBlockingQueue<>();
        MqttClient onHearth = connect(running.tcp(), "gardener-app");
        onHearth.subscribe("garden/#", 1, (topic, message) -> atHearth.add(topic + " " + new String(message.getPayload(),
                StandardCharsets.UTF_8)));
        BlockingQueue<String> atMosquitto = new LinkedBlockingQueue<>();
        MqttClient onMosquitto = connect("tcp://127.0.0.1:" + mosquittoPort, "sprinkler");
        onMosquitto.subscribe("garden/#", 1, (topic, message) -> atMosquitto.add(topic + " " + new String(message.getPayload(),
                StandardCharsets.UTF_8)));

        onMosquitto.publish("garden/soil", "dry".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(atHearth.poll(10, TimeUnit.SECONDS)).isEqualTo("garden/soil dry");

        onHearth.publish("garden/valve", "open".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(drainUntil(atMosquitto, "garden/valve open")).isTrue();
        // The bridge does not get back what it sent: each message crosses once.
        assertThat(atHearth.poll(500, TimeUnit.MILLISECONDS)).isEqualTo("garden/valve open");
        assertThat(atHearth.poll(500, TimeUnit.MILLISECONDS)).isNull();
    }

    private static boolean drainUntil(BlockingQueue<String> queue, String wanted) throws InterruptedException {
        for (String next; (next = queue.poll(10, TimeUnit.SECONDS)) != null; ) {
            if (next.equals(wanted)) {
                return true;
            }
        }
        return false;
    }
}
