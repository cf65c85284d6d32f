package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.core.testing.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The hub is killed with SIGKILL in the middle of a stream of shadow updates: every version that
 * was announced on {@code /update/accepted} before the kill is there after the restart.
 */
class ShadowCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int THINGS = 8;

    @TempDir
    Path dir;

    private HubProcesses hubs;
    private final List<MqttClient> clients = new ArrayList<>();

    @AfterEach
    void stopEverything() throws Exception {
        for (MqttClient client : clients) {
            try {
                client.disconnectForcibly(0, 1000, false);
            } catch (MqttException alreadyGone) {
                // the hub died under it
            }
            client.close(true);
        }
        if (hubs != null) {
            hubs.close();
        }
    }

    private MqttClient connect(int port, String id) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        clients.add(client);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setAutomaticReconnect(false);
        client.connect(options);
        return client;
    }

    @Test
    void everyAcceptedVersionSurvivesKillNineDuringAStreamOfUpdates() throws Exception {
        Path data = dir.resolve("data");
        int http = FreePorts.next();
        int mqtt = FreePorts.next();
        hubs = new HubProcesses(dir);
        Process hub = hubs.start(data, http, mqtt);
        OwnerApi api = OwnerApi.onboard(http);

        Map<String, Long> lastAccepted = new ConcurrentHashMap<>();
        AtomicInteger acceptedCount = new AtomicInteger();
        MqttClient watcher = connect(mqtt, "watcher");
        watcher.subscribe(new MqttSubscription[] {new MqttSubscription("$aws/things/+/shadow/update/accepted", 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(topic, message) -> {
                    // Only this test's things: the hub's own devices (the simulated Zigbee network) report too.
                    if (!topic.split("/")[2].startsWith("crash-")) {
                        return;
                    }
                    JsonNode body = JSON.readTree(message.getPayload());
                    lastAccepted.merge(topic.split("/")[2], body.path("version").asLong(), Math::max);
                    acceptedCount.incrementAndGet();
                }});

        MqttAsyncClient device = new MqttAsyncClient("tcp://127.0.0.1:" + mqtt, "streamer", new MemoryPersistence());
        device.connect().waitForCompletion(10_000);
        Thread stream = new Thread(() -> {
            try {
                for (int n = 1; ; n++) {
                    for (int thing = 0; thing < THINGS; thing++) {
                        // Each thing's n-th update sets n, so a document's version and its n must agree.
                        String body = "{\"state\":{\"reported\":{\"n\":" + n + "}},\"version\":" + (n - 1) + "}";
                        IMqttToken token = device.publish("$aws/things/crash-" + thing + "/shadow/update",
                                new MqttMessage(body.getBytes(StandardCharsets.UTF_8), 1, false, null));
                        if (thing == THINGS - 1) {
                            token.waitForCompletion(10_000);
                        }
                    }
                }
            } catch (MqttException | RuntimeException hubGone) {
                // the stream ends when the hub is killed
            }
        }, "update-stream");
        stream.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (acceptedCount.get() < 2_000 && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        HubProcesses.kill(hub);
        stream.join(15_000);
        device.close(true);
        assertThat(acceptedCount.get()).as("updates accepted before the kill").isGreaterThan(100);
        Map<String, Long> promised = Map.copyOf(lastAccepted);

        hubs.start(data, http, mqtt);
        for (Map.Entry<String, Long> thing : promised.entrySet()) {
            JsonNode document = api.get("/api/v1/things/" + thing.getKey() + "/shadow");
            long version = document.path("version").asLong();
            assertThat(version).as(thing.getKey()).isGreaterThanOrEqualTo(thing.getValue());
            assertThat(document.path("state").path("reported").path("n").asLong()).as(thing.getKey()).isEqualTo(version);
        }
    }
}
