package io.hearth.shadow.device;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import io.hearth.core.device.DeviceDescription;
import io.hearth.core.device.DeviceId;
import io.hearth.core.device.StateProperty;
import io.hearth.shadow.RunningShadows;
import io.hearth.shadow.history.HistoryPoint;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The device view under {@code hearth/devices/ID}, driven by an independent MQTT client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeviceTopicsTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DeviceId LAMP = DeviceId.of("zigbee-00124b0001a2b3c4");

    private RunningShadows hub;
    private Mqtt5BlockingClient client;

    @BeforeEach
    void start() throws Exception {
        hub = RunningShadows.start();
        client = connect("device-test");
    }

    @AfterEach
    void stop() {
        client.disconnect();
        hub.close();
    }

    private Mqtt5BlockingClient connect(String id) {
        Mqtt5BlockingClient connected = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(hub.mqttPort)
                .buildBlocking();
        connected.connect();
        return connected;
    }

    private void publish(String topic, String payload, boolean retain) {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    private void describeLamp() throws Exception {
        DeviceDescription description = new DeviceDescription("Living room lamp", "zigbee", List.of(
                StateProperty.ON.capability(), StateProperty.BRIGHTNESS.capability(), StateProperty.LINK_QUALITY.capability()));
        publish("hearth/devices/" + LAMP + "/info", JSON.writeValueAsString(description), true);
        DeviceRegistry registry = hub.bean(DeviceRegistry.class);
        await(() -> registry.find(LAMP).map(r -> r.capabilities().size() == 3).orElse(false));
    }

    @Test
    void aDescriptionOnTheInfoTopicEntersTheRegistryWithItsCapabilities() throws Exception {
        describeLamp();
        DeviceRecord lamp = hub.bean(DeviceRegistry.class).find(LAMP).orElseThrow();
        assertThat(lamp.displayName()).isEqualTo("Living room lamp");
        assertThat(lamp.binding()).isEqualTo("zigbee");
        assertThat(lamp.capability("brightness").unit()).isEqualTo("%");
    }

    @Test
    void setMergesIntoDesiredAndTheBindingSeesTheDelta() throws Exception {
        describeLamp();
        try (Mqtt5BlockingClient.Mqtt5Publishes deltas = client.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            client.subscribeWith().topicFilter("$aws/things/" + LAMP + "/shadow/update/delta").qos(MqttQos.AT_LEAST_ONCE).send();
            publish("hearth/devices/" + LAMP + "/set", "{\"on\":true,\"brightness\":40}", false);
            JsonNode delta = JSON.readTree(deltas.receive(10, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes());
            assertThat(delta.path("state").path("on").asBoolean()).isTrue();
            assertThat(delta.path("state").path("brightness").asInt()).isEqualTo(40);
        }
    }

    @Test
    void aReadOnlyOrUnknownOrOutOfRangeDesiredKeyIsRefusedNamingTheKey() throws Exception {
        describeLamp();
        try (Mqtt5BlockingClient.Mqtt5Publishes answers = client.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            client.subscribeWith().topicFilter("hearth/devices/" + LAMP + "/set/rejected").qos(MqttQos.AT_LEAST_ONCE).send();
            client.subscribeWith().topicFilter("$aws/things/" + LAMP + "/shadow/update/rejected").qos(MqttQos.AT_LEAST_ONCE).send();

            publish("hearth/devices/" + LAMP + "/set", "{\"linkQuality\":10}", false);
            assertThat(refusal(answers)).isEqualTo("400 Desired key 'linkQuality' is read-only: Living room lamp only reports it");

            publish("$aws/things/" + LAMP + "/shadow/update", "{\"state\":{\"desired\":{\"temperature\":20}}}", false);
            assertThat(refusal(answers)).isEqualTo("400 Desired key 'temperature' is not a state of Living room lamp");

            publish("hearth/devices/" + LAMP + "/set", "{\"brightness\":140}", false);
            assertThat(refusal(answers)).isEqualTo("400 Desired key 'brightness' is invalid: brightness must be between 0 and 100 %");

            publish("hearth/devices/" + LAMP + "/set", "not json", false);
            assertThat(refusal(answers)).startsWith("400 The payload must be a JSON object");
        }
    }

    private static String refusal(Mqtt5BlockingClient.Mqtt5Publishes answers) throws Exception {
        Optional<Mqtt5Publish> answer = answers.receive(10, TimeUnit.SECONDS);
        JsonNode body = JSON.readTree(answer.orElseThrow().getPayloadAsBytes());
        return body.path("code").asInt() + " " + body.path("message").asText();
    }

    @Test
    void theStateTopicHoldsTheReportedStateRetainedAndAvailabilityMarksTheDeviceOnline() throws Exception {
        describeLamp();
        try (Mqtt5BlockingClient.Mqtt5Publishes live = client.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            client.subscribeWith().topicFilter("hearth/devices/" + LAMP + "/state").qos(MqttQos.AT_LEAST_ONCE).send();
            publish("$aws/things/" + LAMP + "/shadow/update", "{\"state\":{\"reported\":{\"on\":true,\"brightness\":30}}}", false);
            while (!JSON.readTree(live.receive(10, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes()).has("brightness")) {
                // the state before this report, retained from the description's first update
            }
        }
        publish("hearth/devices/" + LAMP + "/availability", "online", true);
        DeviceRegistry registry = hub.bean(DeviceRegistry.class);
        await(() -> Boolean.TRUE.equals(registry.find(LAMP).orElseThrow().online()));

        Mqtt5BlockingClient late = connect("late-subscriber");
        try (Mqtt5BlockingClient.Mqtt5Publishes states = late.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            late.subscribeWith().topicFilter("hearth/devices/" + LAMP + "/state").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5Publish state = states.receive(10, TimeUnit.SECONDS).orElseThrow();
            assertThat(state.isRetain()).isTrue();
            assertThat(JSON.readTree(state.getPayloadAsBytes())).isEqualTo(JSON.readTree("{\"on\":true,\"brightness\":30}"));
        } finally {
            late.disconnect();
        }
        assertThat(registry.find(LAMP).orElseThrow().lastSeen()).isPositive();
    }

    @Test
    void goingOfflineKeepsWhenTheDeviceWasLastSeenAndSoDoesARestart() throws Exception {
        describeLamp();
        DeviceRegistry registry = hub.bean(DeviceRegistry.class);
        publish("hearth/devices/" + LAMP + "/availability", "online", true);
        await(() -> Boolean.TRUE.equals(registry.find(LAMP).orElseThrow().online()));
        long seen = registry.find(LAMP).orElseThrow().lastSeen();
        assertThat(seen).isPositive();

        Thread.sleep(50);
        // The binding gives up on a silent device: that says nothing new about when it was last heard.
        publish("hearth/devices/" + LAMP + "/availability", "offline", true);
        await(() -> Boolean.FALSE.equals(registry.find(LAMP).orElseThrow().online()));
        assertThat(registry.find(LAMP).orElseThrow().lastSeen()).isEqualTo(seen);
        assertThat(hub.bean(DeviceService.class).find(LAMP).get(5, TimeUnit.SECONDS).orElseThrow().lastSeen())
                .isEqualTo(Instant.ofEpochMilli(seen).toString());

        client.disconnect();
        hub = hub.restart();
        client = connect("device-test");
        DeviceRegistry restarted = hub.bean(DeviceRegistry.class);
        assertThat(restarted.find(LAMP).orElseThrow().online()).isFalse();
        assertThat(restarted.find(LAMP).orElseThrow().lastSeen()).isEqualTo(seen);

        Thread.sleep(50);
        publish("hearth/devices/" + LAMP + "/availability", "online", true);
        await(() -> Boolean.TRUE.equals(restarted.find(LAMP).orElseThrow().online()));
        assertThat(restarted.find(LAMP).orElseThrow().lastSeen()).isGreaterThan(seen);
    }

    @Test
    void reportedNumbersAndBooleansAreKeptAsHistoryAndSurviveARestart() throws Exception {
        describeLamp();
        for (int level : new int[] {10, 20, 20, 30}) {
            publish("$aws/things/" + LAMP + "/shadow/update", "{\"state\":{\"reported\":{\"brightness\":" + level
                    + ",\"on\":" + (level > 15) + ",\"name\":\"text is not charted\"}}}", false);
        }
        DeviceService devices = hub.bean(DeviceService.class);
        Instant since = Instant.now().minus(Duration.ofHours(1));
        await(() -> devices.history(LAMP, "brightness", since).orElseThrow().size() == 3);
        client.disconnect();
        hub = hub.restart();
        client = connect("device-test");
        DeviceService restarted = hub.bean(DeviceService.class);
        List<HistoryPoint> brightness = restarted.history(LAMP, "brightness", since).orElseThrow();
        assertThat(brightness).extracting(HistoryPoint::value).containsExactly(10.0, 20.0, 30.0);
        List<HistoryPoint> on = restarted.history(LAMP, "on", since).orElseThrow();
        assertThat(on).extracting(HistoryPoint::bool).containsOnly(true);
        assertThat(on).extracting(HistoryPoint::value).containsExactly(0.0, 1.0);
        assertThat(restarted.history(LAMP, "name", since).orElseThrow()).isEmpty();
        DeviceView view = restarted.find(LAMP).get().orElseThrow();
        assertThat(view.name()).isEqualTo("Living room lamp");
        assertThat(view.reported().path("brightness").asInt()).isEqualTo(30);
    }

    @Test
    void removingADeviceForgetsItsShadowHistoryAndRetainedTopics() throws Exception {
        describeLamp();
        publish("$aws/things/" + LAMP + "/shadow/update", "{\"state\":{\"reported\":{\"brightness\":10}}}", false);
        publish("$aws/things/" + LAMP + "/shadow/name/config/update", "{\"state\":{\"desired\":{\"x\":1}}}", false);
        DeviceService devices = hub.bean(DeviceService.class);
        await(() -> devices.find(LAMP).get().map(view -> view.reported().has("brightness")).orElse(false));
        await(() -> hub.bean(io.hearth.shadow.ShadowService.class).shadowsOf(LAMP.value()).size() == 2);

        assertThat(devices.remove(LAMP)).isTrue();

        assertThat(devices.find(LAMP).get()).isEmpty();
        assertThat(hub.bean(io.hearth.shadow.ShadowService.class).shadowsOf(LAMP.value())).isEmpty();
        Mqtt5BlockingClient late = connect("after-removal");
        try (Mqtt5BlockingClient.Mqtt5Publishes retained = late.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            late.subscribeWith().topicFilter("hearth/devices/" + LAMP + "/#").qos(MqttQos.AT_LEAST_ONCE).send();
            assertThat(retained.receive(500, TimeUnit.MILLISECONDS)).isEmpty();
        } finally {
            late.disconnect();
        }
        assertThat(devices.remove(LAMP)).isFalse();
    }

    @Test
    void renamingKeepsTheHomeownersNameOverTheDevicesOwn() throws Exception {
        describeLamp();
        DeviceService devices = hub.bean(DeviceService.class);
        DeviceView renamed = devices.rename(LAMP, "Reading lamp", "Study").get().orElseThrow();
        assertThat(renamed.name()).isEqualTo("Reading lamp");
        assertThat(renamed.room()).isEqualTo("Study");
        describeLamp();
        assertThat(devices.find(LAMP).get().orElseThrow().name()).isEqualTo("Reading lamp");
        assertThat(devices.rename(LAMP, "", null).get().orElseThrow().name()).isEqualTo("Living room lamp");
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    static void await(Condition condition) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("condition not met within 10 s");
            }
            Thread.sleep(20);
        }
    }
}
