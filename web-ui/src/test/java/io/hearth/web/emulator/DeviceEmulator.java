package io.hearth.web.emulator;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Zigbee devices as the hub sees them over MQTT, for tests: each announces its description and
 * availability (retained), reports its state, and obeys a shadow delta by reporting the new value
 * and clearing desired, as a binding's device proxy does.
 */
public final class DeviceEmulator implements AutoCloseable {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String DELTAS = "$aws/things/+/shadow/update/delta";

    private final Mqtt5AsyncClient client;
    private final Set<String> present = ConcurrentHashMap.newKeySet();

    private DeviceEmulator(Mqtt5AsyncClient client) {
        this.client = client;
    }

    /** Connects to the hub's broker and listens for deltas; no device is present yet. */
    public static DeviceEmulator connect(int mqttPort) throws Exception {
        Mqtt5AsyncClient client = Mqtt5Client.builder().identifier("zigbee-emulator").serverHost("127.0.0.1")
                .serverPort(mqttPort).buildAsync();
        client.connect().get(5, TimeUnit.SECONDS);
        DeviceEmulator emulator = new DeviceEmulator(client);
        client.subscribeWith().topicFilter(DELTAS).qos(MqttQos.AT_LEAST_ONCE).callback(emulator::obey).send()
                .get(5, TimeUnit.SECONDS);
        return emulator;
    }

    /** Makes {@code device} known to the hub and reports its first state. */
    public void add(EmulatedDevice device) throws Exception {
        present.add(device.id());
        publish("hearth/devices/" + device.id() + "/info", device.info(), true);
        publish("hearth/devices/" + device.id() + "/availability", "online", true);
        report(device.id(), device.initialState());
    }

    /** Reports {@code state} (a JSON object of state keys) for the device. */
    public void report(String id, String state) throws Exception {
        publish("$aws/things/" + id + "/shadow/update", "{\"state\":{\"reported\":" + state + "}}", false);
    }

    public void offline(String id) throws Exception {
        publish("hearth/devices/" + id + "/availability", "offline", true);
    }

    /** The device stops answering, as one that left the network. */
    public void forget(String id) {
        present.remove(id);
    }

    private void obey(Mqtt5Publish delta) {
        String id = delta.getTopic().getLevels().get(2);
        if (!present.contains(id)) {
            return;
        }
        try {
            JsonNode asked = JSON.readTree(new String(delta.getPayloadAsBytes(), StandardCharsets.UTF_8)).path("state");
            if (!asked.isObject() || asked.isEmpty()) {
                return;
            }
            ObjectNode state = JSON.createObjectNode();
            ObjectNode update = state.putObject("state");
            ObjectNode reported = update.putObject("reported");
            ObjectNode desired = update.putObject("desired");
            for (Map.Entry<String, JsonNode> field : asked.properties()) {
                reported.set(field.getKey(), field.getValue());
                desired.putNull(field.getKey());
            }
            client.publishWith().topic("$aws/things/" + id + "/shadow/update").qos(MqttQos.AT_LEAST_ONCE)
                    .payload(state.toString().getBytes(StandardCharsets.UTF_8)).send();
        } catch (IOException e) {
            throw new IllegalStateException("a delta that is not JSON on " + delta.getTopic(), e);
        }
    }

    private void publish(String topic, String payload, boolean retain) throws Exception {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send().get(5, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws java.util.concurrent.ExecutionException, java.util.concurrent.TimeoutException {
        try {
            client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
