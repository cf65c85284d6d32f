package io.hearth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.hearth.core.config.AclRule;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The broker driven by the HiveMQ MQTT client, MQTT 5 and 3.1.1. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HiveMqClientTest {

    private RunningBroker running;
    private final List<Runnable> disconnects = new ArrayList<>();

    @AfterEach
    void stop() {
        disconnects.forEach(disconnect -> {
            try {
                disconnect.run();
            } catch (RuntimeException alreadyGone) {
                // the test may have ended the connection itself
            }
        });
        running.close();
    }

    private Mqtt5BlockingClient v5(String id) {
        Mqtt5BlockingClient client = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(running.port)
                .buildBlocking();
        disconnects.add(client::disconnect);
        return client;
    }

    @Test
    void mqtt5PublishSubscribeKeepsPropertiesAndTheConnackTellsTheLimits() throws Exception {
        running = RunningBroker.open();
        Mqtt5BlockingClient subscriber = v5("hivemq-subscriber");
        Mqtt5ConnAck connAck = subscriber.connect();
        assertThat(connAck.getRestrictions().getReceiveMaximum()).isEqualTo(16);
        assertThat(connAck.getRestrictions().getMaximumPacketSize()).isEqualTo(1_048_576);
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("lights/+/set").qos(MqttQos.EXACTLY_ONCE).send();

            Mqtt5BlockingClient app = v5("hivemq-app");
            app.connect();
            app.publishWith().topic("lights/porch/set").qos(MqttQos.EXACTLY_ONCE)
                    .payload("{\"on\":true}".getBytes(StandardCharsets.UTF_8))
                    .contentType("application/json")
                    .userProperties().add("origin", "phone").applyUserProperties()
                    .send();

            Optional<Mqtt5Publish> received = publishes.receive(5, TimeUnit.SECONDS);
            assertThat(received).isPresent();
            Mqtt5Publish message = received.get();
            assertThat(message.getQos()).isEqualTo(MqttQos.EXACTLY_ONCE);
            assertThat(new String(message.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"on\":true}");
            assertThat(message.getContentType().map(Object::toString)).contains("application/json");
            assertThat(message.getUserProperties().asList()).singleElement()
                    .satisfies(p -> assertThat(p.getName() + "=" + p.getValue()).isEqualTo("origin=phone"));
        }
    }

    @Test
    void aRefusedPublishCarriesItsReasonString() throws Exception {
        running = RunningBroker.open(List.of(new AclRule(AclRule.Effect.DENY, AclRule.Action.PUBLISH, "locks/#", null)));
        Mqtt5BlockingClient client = v5("hivemq-intruder");
        client.connect();
        assertThatThrownBy(() -> client.publishWith().topic("locks/front").qos(MqttQos.AT_LEAST_ONCE).send())
                .isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> {
                    assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED);
                    assertThat(e.getMqttMessage().getReasonString().map(Object::toString))
                            .contains("not allowed to publish to locks/front");
                });
    }

    @Test
    void mqtt311ClientsWorkToo() throws Exception {
        running = RunningBroker.open();
        Mqtt3BlockingClient subscriber = Mqtt3Client.builder().identifier("hivemq-311").serverHost("127.0.0.1")
                .serverPort(running.port).buildBlocking();
        disconnects.add(subscriber::disconnect);
        subscriber.connect();
        try (Mqtt3BlockingClient.Mqtt3Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("meter/#").qos(MqttQos.AT_LEAST_ONCE).send();
            subscriber.publishWith().topic("meter/power").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                    .payload("230".getBytes(StandardCharsets.UTF_8)).send();
            assertThat(publishes.receive(5, TimeUnit.SECONDS)).hasValueSatisfying(
                    p -> assertThat(new String(p.getPayloadAsBytes(), StandardCharsets.UTF_8)).isEqualTo("230"));
        }
    }
}
