package io.hearth.web.testing;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import io.hearth.core.device.DeviceTopics;
import io.hearth.core.device.DeviceId;
import java.nio.charset.StandardCharsets;

/**
 * A device that speaks MQTT itself, as a Wi-Fi sensor would: it describes itself, says it is online,
 * reports its state, and leaves a last will that marks it offline when its connection drops.
 */
public final class MqttDevice implements AutoCloseable {

    private final Mqtt5BlockingClient client;
    private final DeviceId id;
    private boolean connected = true;

    private MqttDevice(Mqtt5BlockingClient client, DeviceId id) {
        this.client = client;
        this.id = id;
    }

    /**
     * @param description the device's {@code info} JSON (name, capabilities)
     * @param state its first reported state, a JSON object
     */
    public static MqttDevice connect(int mqttPort, DeviceId id, String description, String state) {
        Mqtt5BlockingClient client = Mqtt5Client.builder().identifier(id.value()).serverHost("127.0.0.1")
                .serverPort(mqttPort).buildBlocking();
        client.connectWith().willPublish().topic(DeviceTopics.availability(id)).qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload(bytes("offline")).applyWillPublish().send();
        MqttDevice device = new MqttDevice(client, id);
        device.publish(DeviceTopics.info(id), description, true);
        device.publish(DeviceTopics.availability(id), "online", true);
        device.publish("$aws/things/" + id.value() + "/shadow/update", "{\"state\":{\"reported\":" + state + "}}", false);
        return device;
    }

    /** The connection drops as when the device loses power: the broker publishes its will. */
    public void dropOff() {
        client.disconnectWith().reasonCode(Mqtt5DisconnectReasonCode.DISCONNECT_WITH_WILL_MESSAGE).send();
        connected = false;
    }

    private void publish(String topic, String payload, boolean retain) {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(bytes(payload)).send();
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void close() {
        if (connected) {
            client.disconnect();
            connected = false;
        }
    }
}
