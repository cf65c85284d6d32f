package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.core.testing.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Changes the hub accepted while its cloud was unreachable reach the cloud even when the hub is
 * killed with SIGKILL before the cloud returns: the outbox, and the record of what the cloud has
 * seen, are on disk. Debian's Mosquitto plays the cloud.
 */
class CloudOutboxCrashIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");
    private static final int DEVICES = 20;
    private static final String THING = "crash-home";

    @TempDir
    Path dir;
    private HubProcesses hubs;
    private Process cloud;
    private MqttClient local;
    private MqttClient remote;

    @AfterEach
    void stopEverything() throws Exception {
        for (MqttClient client : new MqttClient[] {local, remote}) {
            if (client != null) {
                client.disconnectForcibly(0, 1000, false);
                client.close(true);
            }
        }
        if (hubs != null) {
            hubs.close();
        }
        if (cloud != null) {
            cloud.destroy();
            cloud.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void changesAcceptedWhileTheCloudWasAwayArriveAfterAKillNineAndRestart() throws Exception {
        boolean installed = Files.isExecutable(MOSQUITTO);
        if (Boolean.getBoolean("hearth.e2e.required")) {
            assertThat(installed).as("Mosquitto at " + MOSQUITTO + " (apt-get install mosquitto)").isTrue();
        }
        assumeThat(installed).as("mosquitto installed").isTrue();
        Path data = dir.resolve("data");
        int http = FreePorts.next();
        int mqtt = FreePorts.next();
        int cloudPort = FreePorts.next();
        Map<String, String> link = Map.of("HEARTH_CLOUD_ENABLED", "true",
                "HEARTH_CLOUD_URL", "tcp://127.0.0.1:" + cloudPort, "HEARTH_CLOUD_THING_NAME", THING);
        hubs = new HubProcesses(dir);
        Process hub = hubs.start(data, http, mqtt, link);

        // With the cloud unreachable, every device gets a description and three changes of state.
        Map<String, Integer> accepted = new ConcurrentHashMap<>();
        local = connect(mqtt, "owner-app");
        local.subscribe(new MqttSubscription[] {new MqttSubscription("$aws/things/+/shadow/update/accepted", 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(topic, message) -> {
                    JsonNode body = JSON.readTree(message.getPayload());
                    JsonNode n = body.path("state").path("reported").path("n");
                    if (n.isInt()) {
                        accepted.merge(topic.split("/")[2], n.asInt(), Math::max);
                    }
                }});
        for (int i = 0; i < DEVICES; i++) {
            publish(local, "hearth/devices/meter-" + i + "/info", "{\"name\":\"Meter " + i + "\",\"binding\":\"test\","
                    + "\"capabilities\":[{\"key\":\"n\",\"type\":\"number\",\"access\":\"read\"}]}", true);
        }
        for (int n = 1; n <= 3; n++) {
            for (int i = 0; i < DEVICES; i++) {
                publish(local, "$aws/things/meter-" + i + "/shadow/update", "{\"state\":{\"reported\":{\"n\":" + n + "}}}",
                        false);
            }
        }
        awaitTrue(() -> accepted.size() == DEVICES && accepted.values().stream().allMatch(n -> n == 3),
                "every third change accepted");
        HubProcesses.kill(hub);
        local.disconnectForcibly(0, 1000, false);
        local.close(true);
        local = null;

        cloud = startMosquitto(cloudPort);
        Map<String, Integer> seenUpstream = new ConcurrentHashMap<>();
        remote = connect(cloudPort, "remote-app");
        remote.subscribe(new MqttSubscription[] {
                new MqttSubscription("$aws/things/" + THING + "/shadow/name/+/update/documents", 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {(topic, message) -> {
                    JsonNode current = JSON.readTree(message.getPayload()).path("current");
                    seenUpstream.put(topic.split("/")[5], current.path("state").path("reported").path("n").asInt());
                }});
        hubs.start(data, http, mqtt, link);

        awaitTrue(() -> seenUpstream.keySet().stream().filter(id -> id.startsWith("meter-")).count() == DEVICES
                && seenUpstream.entrySet().stream().filter(e -> e.getKey().startsWith("meter-"))
                        .allMatch(e -> e.getValue() == 3), "every device's latest state upstream");
    }

    private Process startMosquitto(int port) throws Exception {
        Path config = dir.resolve("mosquitto.conf");
        Files.writeString(config, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\n");
        Process broker = new ProcessBuilder(MOSQUITTO.toString(), "-c", config.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("mosquitto.log").toFile()).start();
        awaitTrue(() -> {
            try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
                return true;
            } catch (java.io.IOException notYet) {
                return false;
            }
        }, "Mosquitto listening");
        return broker;
    }

    private static MqttClient connect(int port, String id) throws Exception {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + port, id, new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setAutomaticReconnect(false);
        client.connect(options);
        return client;
    }

    private static void publish(MqttClient client, String topic, String json, boolean retain) throws Exception {
        client.publish(topic, new MqttMessage(json.getBytes(StandardCharsets.UTF_8), 1, retain, null));
    }

    private interface Check {
        boolean holds() throws Exception;
    }

    private static void awaitTrue(Check condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.holds()) {
            assertThat(System.nanoTime()).as("waiting until " + what).isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
