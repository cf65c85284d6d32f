package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.core.testing.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The promise of {@code ./hearth run} with the embedded defaults, checked on the packaged hub: the
 * simulated Zigbee devices appear within 5 s, the lamp follows a desired change within 1 s, and the
 * climate sensor's temperature has a history to chart.
 */
class SimulatedHomeIT {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String LAMP = "zigbee-00124b0010000001";
    private static final String CLIMATE = "zigbee-00124b0010000003";
    private static final Set<String> DEMO_DEVICES = Set.of(LAMP, "zigbee-00124b0010000002", CLIMATE,
            "zigbee-00124b0010000004", "zigbee-00124b0010000005");

    @TempDir
    Path dir;

    private HubProcesses hubs;
    private MqttClient watcher;

    @AfterEach
    void stopEverything() throws Exception {
        if (watcher != null) {
            if (watcher.isConnected()) {
                watcher.disconnect();
            }
            watcher.close(true);
        }
        if (hubs != null) {
            hubs.close();
        }
    }

    @Test
    void theSimulatedDevicesAppearFollowDesiredStateAndBuildHistory() throws Exception {
        int http = FreePorts.next();
        int mqtt = FreePorts.next();
        hubs = new HubProcesses(dir);
        long launched = System.nanoTime();
        hubs.start(dir.resolve("data"), http, mqtt);
        long ready = System.nanoTime();
        OwnerApi api = OwnerApi.onboard(http);

        long listed = awaitDemoDevicesOnline(api, Duration.ofSeconds(20));
        long sinceReady = millis(ready, listed);
        System.out.printf("Simulated home: ready %d ms after launch; all demo devices listed and online %d ms after"
                + " ready (%d ms after launch)%n", millis(launched, ready), sinceReady, millis(launched, listed));
        assertThat(sinceReady).as("ms from the hub being ready to all demo devices listed").isLessThanOrEqualTo(5000);
        JsonNode zigbee = new HealthProbe(http).health().body().path("components").path("zigbee");
        assertThat(zigbee.path("status").asText()).isEqualTo("UP");
        assertThat(zigbee.path("details").path("coordinator").asText()).isEqualTo("simulated coordinator");
        assertThat(zigbee.path("details").path("online").asInt()).isEqualTo(DEMO_DEVICES.size());

        BlockingQueue<JsonNode> lampStates = watchLamp(mqtt, api.token());
        List<Long> follows = new ArrayList<>();
        boolean on = api.get("/api/v1/devices/" + LAMP).path("reported").path("on").asBoolean(false);
        for (int round = 0; round < 4; round++) {
            on = !on;
            follows.add(desireAndAwait(api, lampStates, on));
        }
        System.out.println("Simulated home: lamp reported the desired state after " + follows + " ms");
        assertThat(follows).as("ms from desired to reported").allMatch(ms -> ms <= 1000);
        assertThat(api.get("/api/v1/devices/" + LAMP).path("desired").path("on").isMissingNode())
                .as("the met desired key is cleared").isTrue();

        long historyFrom = System.nanoTime();
        JsonNode history = awaitHistory(api, Duration.ofSeconds(30));
        System.out.println("Simulated home: " + history.size() + " temperature point(s) "
                + millis(historyFrom, System.nanoTime()) + " ms after the lamp test, "
                + millis(ready, System.nanoTime()) + " ms after ready");
        assertThat(history.get(0).path("v").asDouble()).isBetween(18.0, 26.0);
    }

    private static long awaitDemoDevicesOnline(OwnerApi api, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode devices = null;
        while (System.nanoTime() < deadline) {
            devices = api.get("/api/v1/devices");
            long online = 0;
            for (JsonNode device : devices) {
                if (DEMO_DEVICES.contains(device.path("id").asText()) && device.path("online").asBoolean(false)
                        && device.path("capabilities").size() > 0) {
                    online++;
                }
            }
            if (online == DEMO_DEVICES.size()) {
                return System.nanoTime();
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the demo devices did not all appear online within " + timeout + ": " + devices);
    }

    private BlockingQueue<JsonNode> watchLamp(int mqtt, String token) throws Exception {
        BlockingQueue<JsonNode> states = new LinkedBlockingQueue<>();
        watcher = new MqttClient("tcp://127.0.0.1:" + mqtt, "owner/simulated-home-test", new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName("owner");
        options.setPassword(token.getBytes(StandardCharsets.UTF_8));
        options.setAutomaticReconnect(false);
        watcher.connect(options);
        watcher.subscribe(new MqttSubscription[] {new MqttSubscription("hearth/devices/" + LAMP + "/state", 1)},
                new org.eclipse.paho.mqttv5.client.IMqttMessageListener[] {
                    (topic, message) -> states.add(JSON.readTree(message.getPayload()))});
        return states;
    }

    /** Sets the lamp's desired {@code on} the way the web UI does and times the reported state following it. */
    private static long desireAndAwait(OwnerApi api, BlockingQueue<JsonNode> states, boolean on) throws Exception {
        states.clear();
        long asked = System.nanoTime();
        api.post("/api/v1/things/" + LAMP + "/shadow", "{\"state\":{\"desired\":{\"on\":" + on + "}}}");
        long deadline = asked + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            JsonNode state = states.poll(deadline - System.nanoTime(), TimeUnit.NANOSECONDS);
            if (state != null && state.path("on").isBoolean() && state.path("on").asBoolean() == on) {
                return millis(asked, System.nanoTime());
            }
        }
        throw new AssertionError("the lamp did not report on=" + on + " within 5 s");
    }

    private static JsonNode awaitHistory(OwnerApi api, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            JsonNode points = api.get("/api/v1/devices/" + CLIMATE + "/history?property=temperature");
            if (points.isArray() && points.size() > 0) {
                return points;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("the climate sensor built no temperature history within " + timeout);
    }

    private static long millis(long from, long to) {
        return TimeUnit.NANOSECONDS.toMillis(to - from);
    }
}
