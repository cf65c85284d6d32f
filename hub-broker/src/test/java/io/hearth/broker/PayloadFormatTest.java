package io.hearth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubRecException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5PayloadFormatIndicator;
import com.hivemq.client.mqtt.mqtt5.message.publish.Mqtt5Publish;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.pubrec.Mqtt5PubRecReasonCode;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The Payload Format Indicator (MQTT 5 §3.3.2.3.2), driven by the HiveMQ MQTT client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PayloadFormatTest {

    /** A lone continuation byte: never valid UTF-8. */
    private static final byte[] NOT_UTF8 = {'o', 'n', (byte) 0x80};

    private RunningBroker running;
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();

    @AfterEach
    void stop() {
        for (Mqtt5BlockingClient client : clients) {
            try {
                client.disconnect();
            } catch (RuntimeException alreadyGone) {
                // the broker or the test ended this connection
            }
        }
        running.close();
    }

    private Mqtt5ClientBuilder builder(String id) {
        return Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(running.port);
    }

    private Mqtt5BlockingClient client(String id) {
        Mqtt5BlockingClient client = builder(id).buildBlocking();
        clients.add(client);
        return client;
    }

    @Test
    void theIndicatorReachesSubscribersAsItWasSent() throws Exception {
        running = RunningBroker.open();
        Mqtt5BlockingClient subscriber = client("format-subscriber");
        subscriber.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = subscriber.publishes(MqttGlobalPublishFilter.ALL)) {
            subscriber.subscribeWith().topicFilter("notes/#").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5BlockingClient publisher = client("format-publisher");
            publisher.connect();
            publisher.publishWith().topic("notes/text").qos(MqttQos.AT_LEAST_ONCE)
                    .payload("grüße".getBytes(StandardCharsets.UTF_8))
                    .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8).send();
            publisher.publishWith().topic("notes/bytes").qos(MqttQos.AT_LEAST_ONCE).payload(NOT_UTF8)
                    .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UNSPECIFIED).send();
            publisher.publishWith().topic("notes/plain").qos(MqttQos.AT_MOST_ONCE).payload(NOT_UTF8).send();

            assertThat(next(publishes).getPayloadFormatIndicator()).contains(Mqtt5PayloadFormatIndicator.UTF_8);
            Mqtt5Publish bytes = next(publishes);
            assertThat(bytes.getPayloadFormatIndicator()).contains(Mqtt5PayloadFormatIndicator.UNSPECIFIED);
            assertThat(bytes.getPayloadAsBytes()).containsExactly(NOT_UTF8);
            assertThat(next(publishes).getPayloadFormatIndicator()).isEmpty();
        }
    }

    @Test
    void theIndicatorOfKeptAndRetainedMessagesSurvivesARestart() throws Exception {
        running = RunningBroker.open();
        Mqtt5BlockingClient away = client("format-away");
        away.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
        away.subscribeWith().topicFilter("kept/#").qos(MqttQos.AT_LEAST_ONCE).send();
        away.disconnect();
        clients.clear();

        Mqtt5BlockingClient publisher = client("format-keeper");
        publisher.connect();
        publisher.publishWith().topic("kept/queued").qos(MqttQos.AT_LEAST_ONCE).payload("hello".getBytes(StandardCharsets.UTF_8))
                .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8).send();
        publisher.publishWith().topic("kept/retained").qos(MqttQos.AT_LEAST_ONCE).retain(true)
                .payload("still here".getBytes(StandardCharsets.UTF_8))
                .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8).send();
        publisher.disconnect();
        clients.clear();

        running = running.restart();

        Mqtt5BlockingClient back = client("format-away");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = back.publishes(MqttGlobalPublishFilter.ALL)) {
            back.connectWith().cleanStart(false).sessionExpiryInterval(3600).send();
            List<Mqtt5Publish> received = List.of(next(publishes), next(publishes));
            assertThat(received).extracting(p -> p.getTopic().toString())
                    .containsExactlyInAnyOrder("kept/queued", "kept/retained");
            assertThat(received).allSatisfy(p ->
                    assertThat(p.getPayloadFormatIndicator()).contains(Mqtt5PayloadFormatIndicator.UTF_8));
        }
        Mqtt5BlockingClient late = client("format-late");
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = late.publishes(MqttGlobalPublishFilter.ALL)) {
            late.connect();
            late.subscribeWith().topicFilter("kept/retained").qos(MqttQos.AT_LEAST_ONCE).send();
            Mqtt5Publish retained = next(publishes);
            assertThat(retained.isRetain()).isTrue();
            assertThat(retained.getPayloadFormatIndicator()).contains(Mqtt5PayloadFormatIndicator.UTF_8);
        }
    }

    @Test
    void aQos1PublishMarkedAsTextThatIsNotUtf8IsRefusedWith0x99AndAReason() throws Exception {
        running = RunningBroker.open();
        Mqtt5BlockingClient client = client("format-liar");
        client.connect();
        assertThatThrownBy(() -> client.publishWith().topic("notes/bad").qos(MqttQos.AT_LEAST_ONCE).payload(NOT_UTF8)
                .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8).send())
                .isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> {
                    assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.PAYLOAD_FORMAT_INVALID);
                    assertThat(e.getMqttMessage().getReasonString().map(Object::toString).orElse(""))
                            .contains("not valid UTF-8");
                });
        // The refusal ends only that message: the connection stays.
        client.publishWith().topic("notes/good").qos(MqttQos.AT_LEAST_ONCE).payload("ok".getBytes(StandardCharsets.UTF_8))
                .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8).send();
    }

    @Test
    void aQos2PublishMarkedAsTextThatIsNotUtf8GetsAPubrecWith0x99() throws Exception {
        running = RunningBroker.open();
        Mqtt5BlockingClient client = client("format-liar-2");
        client.connect();
        assertThatThrownBy(() -> client.publishWith().topic("notes/bad").qos(MqttQos.EXACTLY_ONCE).payload(NOT_UTF8)
                .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8).send())
                .isInstanceOfSatisfying(Mqtt5PubRecException.class, e -> {
                    assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubRecReasonCode.PAYLOAD_FORMAT_INVALID);
                    assertThat(e.getMqttMessage().getReasonString()).isPresent();
                });
    }

    @Test
    void aQos0PublishMarkedAsTextThatIsNotUtf8EndsTheConnectionWith0x99() throws Exception {
        running = RunningBroker.open();
        CompletableFuture<Throwable> disconnected = new CompletableFuture<>();
        Mqtt5BlockingClient client = builder("format-liar-0")
                .addDisconnectedListener(context -> disconnected.complete(context.getCause())).buildBlocking();
        clients.add(client);
        client.connect();
        client.publishWith().topic("notes/bad").qos(MqttQos.AT_MOST_ONCE).payload(NOT_UTF8)
                .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8).send();
        assertThat(disconnected.get(5, TimeUnit.SECONDS)).isInstanceOfSatisfying(Mqtt5DisconnectException.class, e -> {
            assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.PAYLOAD_FORMAT_INVALID);
            assertThat(e.getMqttMessage().getReasonString()).isPresent();
        });
    }

    @Test
    void aWillMarkedAsTextThatIsNotUtf8IsRefusedInTheConnack() throws Exception {
        running = RunningBroker.open();
        Mqtt5BlockingClient client = client("format-will");
        assertThatThrownBy(() -> client.connectWith().willPublish().topic("wills/gone").payload(NOT_UTF8)
                .payloadFormatIndicator(Mqtt5PayloadFormatIndicator.UTF_8).applyWillPublish().send())
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> {
                    assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.PAYLOAD_FORMAT_INVALID);
                    assertThat(e.getMqttMessage().getReasonString().map(Object::toString).orElse(""))
                            .contains("not valid UTF-8");
                });
    }

    private static Mqtt5Publish next(Mqtt5BlockingClient.Mqtt5Publishes publishes) throws InterruptedException {
        Optional<Mqtt5Publish> received = publishes.receive(5, TimeUnit.SECONDS);
        assertThat(received).as("a message within 5 s").isPresent();
        return received.get();
    }
}
