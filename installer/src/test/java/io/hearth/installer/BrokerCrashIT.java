package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.testing.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the broker acknowledged survives kill -9 of the hub: queued messages and retained ones. */
class BrokerCrashIT {

    private static final long WAIT = 10_000;
    private static final int MESSAGES = 500;

    @TempDir
    Path dir;

    private final List<MqttAsyncClient> clients = new ArrayList<>();
    private HubProcesses hubs;

    @AfterEach
    void stopEverything() throws Exception {
        for (MqttAsyncClient client : clients) {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000, false);
            }
            client.close(true);
        }
        if (hubs != null) {
            hubs.close();
        }
    }

    private MqttAsyncClient connect(int port, String id, long sessionExpiry, BlockingQueue<String> inbox) throws Exception {
        MqttAsyncClient client = new MqttAsyncClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        clients.add(client);
        client.setCallback(new org.eclipse.paho.mqttv5.client.MqttCallback() {
            @Override
            public void disconnected(org.eclipse.paho.mqttv5.client.MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(org.eclipse.paho.mqttv5.common.MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
                inbox.add(topic + " " + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, org.eclipse.paho.mqttv5.common.packet.MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(sessionExpiry);
        options.setAutomaticReconnect(false);
        options.setReceiveMaximum(1000);
        client.connect(options).waitForCompletion(WAIT);
        return client;
    }

    @Test
    void acknowledgedMessagesSurviveKillNine() throws Exception {
        Path data = dir.resolve("data");
        int http = FreePorts.next();
        int mqtt = FreePorts.next();
        hubs = new HubProcesses(dir);
        Process hub = hubs.start(data, http, mqtt);

        BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        MqttAsyncClient subscriber = connect(mqtt, "door-logger", 86_400, inbox);
        subscriber.subscribe("doors/#", 1).waitForCompletion(WAIT);
        subscriber.disconnect().waitForCompletion(WAIT);

        MqttAsyncClient publisher = connect(mqtt, "door-sensor", 0, new LinkedBlockingQueue<>());
        List<IMqttToken> acknowledged = new ArrayList<>();
        for (int i = 0; i < MESSAGES; i++) {
            // Paho keeps at most ten publishes in flight by default: wait for each window's PUBACKs.
            if (acknowledged.size() == 10) {
                for (IMqttToken token : acknowledged) {
                    token.waitForCompletion(WAIT);
                }
                acknowledged.clear();
            }
            acknowledged.add(publisher.publish("doors/front", new MqttMessage(Integer.toString(i).getBytes(StandardCharsets.UTF_8),
                    1, false, null)));
        }
        publisher.publish("doors/front/state", new MqttMessage("closed".getBytes(StandardCharsets.UTF_8), 1, true, null))
                .waitForCompletion(WAIT);
        for (IMqttToken token : acknowledged) {
            token.waitForCompletion(WAIT);
        }
        HubProcesses.kill(hub); // right after the last PUBACK
        publisher.disconnectForcibly(0, 1000, false);

        hubs.start(data, http, mqtt);
        connect(mqtt, "door-logger", 86_400, inbox);
        Set<String> received = new HashSet<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (received.size() < MESSAGES + 1 && System.nanoTime() < deadline) {
            String message = inbox.poll(1, TimeUnit.SECONDS);
            if (message != null) {
                received.add(message);
            }
        }
        Set<String> expected = new HashSet<>();
        for (int i = 0; i < MESSAGES; i++) {
            expected.add("doors/front " + i);
        }
        expected.add("doors/front/state closed");
        assertThat(received).containsExactlyInAnyOrderElementsOf(expected);

        BlockingQueue<String> late = new LinkedBlockingQueue<>();
        MqttAsyncClient newcomer = connect(mqtt, "newcomer", 0, late);
        newcomer.subscribe("doors/+/state", 1).waitForCompletion(WAIT);
        assertThat(late.poll(5, TimeUnit.SECONDS)).isEqualTo("doors/front/state closed");
    }
}
