package io.hearth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.core.config.AclRule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttCallback;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.MqttMessage;
import org.eclipse.paho.client.mqttv3.MqttSecurityException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The broker driven by Eclipse Paho's MQTT 3.1.1 client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttV3ClientsTest {

    private RunningBroker running;
    private final V3TestClients clients = new V3TestClients();

    @AfterEach
    void closeEverything() throws Exception {
        clients.closeAll();
        if (running != null) {
            running.close();
        }
    }

    record Received(String topic, String payload, int qos, boolean retained) {
    }

    private final class Listener implements MqttCallback {
        final BlockingQueue<Received> messages = new LinkedBlockingQueue<>();
        final CountDownLatch lost = new CountDownLatch(1);

        @Override
        public void connectionLost(Throwable cause) {
            lost.countDown();
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            messages.add(new Received(topic, new String(message.getPayload(), StandardCharsets.UTF_8), message.getQos(),
                    message.isRetained()));
        }

        @Override
        public void deliveryComplete(IMqttDeliveryToken token) {
        }

        Received next() throws InterruptedException {
            Received received = messages.poll(5, TimeUnit.SECONDS);
            assertThat(received).as("a message within 5 s").isNotNull();
            return received;
        }
    }

    private MqttClient client(String id) throws MqttException {
        return clients.create(running.tcp(), id);
    }

    private static MqttConnectOptions options(boolean cleanSession) {
        MqttConnectOptions options = new MqttConnectOptions();
        options.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1_1);
        options.setCleanSession(cleanSession);
        options.setConnectionTimeout(5);
        options.setAutomaticReconnect(false);
        return options;
    }

    private Listener connect(MqttClient client, MqttConnectOptions options) throws MqttException {
        Listener listener = new Listener();
        client.setCallback(listener);
        client.connect(options);
        return listener;
    }

    @Test
    void anonymousClientsAreRefusedByDefault() throws Exception {
        running = RunningBroker.closedToAnonymous();
        assertThatThrownBy(() -> client("stranger").connect(options(true)))
                .isInstanceOfSatisfying(MqttSecurityException.class,
                        e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_NOT_AUTHORIZED));
    }

    @Test
    void messagesArriveAtTheLowerOfTheTwoQos() throws Exception {
        running = RunningBroker.open();
        MqttClient subscriber = client("subscriber");
        Listener inbox = connect(subscriber, options(true));
        subscriber.subscribe("home/+/temperature", 1);
        MqttClient publisher = client("publisher");
        connect(publisher, options(true));
        for (int qos = 0; qos <= 2; qos++) {
            publisher.publish("home/kitchen/temperature", ("21." + qos).getBytes(StandardCharsets.UTF_8), qos, false);
        }
        publisher.publish("home/kitchen/humidity", "40".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(List.of(inbox.next(), inbox.next(), inbox.next())).containsExactly(
                new Received("home/kitchen/temperature", "21.0", 0, false),
                new Received("home/kitchen/temperature", "21.1", 1, false),
                new Received("home/kitchen/temperature", "21.2", 1, false));
        assertThat(inbox.messages.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void anMqtt31ClientExchangesMessagesWithAnMqtt311OneAtEveryQos() throws Exception {
        running = RunningBroker.open();
        MqttConnectOptions v31 = options(true);
        v31.setMqttVersion(MqttConnectOptions.MQTT_VERSION_3_1);
        MqttClient old = client("old");
        Listener oldInbox = connect(old, v31);
        old.subscribe("legacy/in", 2);
        MqttClient current = client("current");
        Listener currentInbox = connect(current, options(true));
        current.subscribe("legacy/out", 2);
        for (int qos = 0; qos <= 2; qos++) {
            current.publish("legacy/in", ("to-old-" + qos).getBytes(StandardCharsets.UTF_8), qos, false);
            old.publish("legacy/out", ("from-old-" + qos).getBytes(StandardCharsets.UTF_8), qos, false);
        }
        assertThat(List.of(oldInbox.next(), oldInbox.next(), oldInbox.next())).containsExactly(
                new Received("legacy/in", "to-old-0", 0, false),
                new Received("legacy/in", "to-old-1", 1, false),
                new Received("legacy/in", "to-old-2", 2, false));
        assertThat(List.of(currentInbox.next(), currentInbox.next(), currentInbox.next())).containsExactly(
                new Received("legacy/out", "from-old-0", 0, false),
                new Received("legacy/out", "from-old-1", 1, false),
                new Received("legacy/out", "from-old-2", 2, false));
    }

    @Test
    void retainedMessagesReachLateSubscribersUntilAnEmptyOneDeletesThem() throws Exception {
        running = RunningBroker.open();
        MqttClient publisher = client("publisher");
        connect(publisher, options(true));
        publisher.publish("hearth/devices/lamp/availability", "online".getBytes(StandardCharsets.UTF_8), 1, true);

        MqttClient late = client("late");
        Listener inbox = connect(late, options(true));
        late.subscribe("hearth/devices/+/availability", 1);
        assertThat(inbox.next()).isEqualTo(new Received("hearth/devices/lamp/availability", "online", 1, true));

        publisher.publish("hearth/devices/lamp/availability", new byte[0], 1, true);
        assertThat(inbox.next().payload()).isEmpty();
        MqttClient later = client("later");
        Listener laterInbox = connect(later, options(true));
        later.subscribe("hearth/devices/+/availability", 1);
        assertThat(laterInbox.messages.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aPersistentSessionKeepsQos1MessagesWhileTheClientIsAway() throws Exception {
        running = RunningBroker.open();
        MqttClient subscriber = client("sleepy");
        connect(subscriber, options(false));
        subscriber.subscribe("alarms/#", 1);
        subscriber.disconnect();

        MqttClient publisher = client("publisher");
        connect(publisher, options(true));
        for (int i = 1; i <= 3; i++) {
            publisher.publish("alarms/door", ("open " + i).getBytes(StandardCharsets.UTF_8), 1, false);
        }
        Listener inbox = connect(subscriber, options(false));
        assertThat(List.of(inbox.next().payload(), inbox.next().payload(), inbox.next().payload()))
                .containsExactly("open 1", "open 2", "open 3");
    }

    @Test
    void theWillIsPublishedWhenAClientVanishesButNotWhenItSaysGoodbye() throws Exception {
        running = RunningBroker.open();
        MqttClient watcher = client("watcher");
        Listener inbox = connect(watcher, options(true));
        watcher.subscribe("status/#", 1);

        MqttClient polite = client("polite");
        MqttConnectOptions politeOptions = options(true);
        politeOptions.setWill("status/polite", "gone".getBytes(StandardCharsets.UTF_8), 1, false);
        connect(polite, politeOptions);
        polite.disconnect();

        MqttClient vanishing = client("vanishing");
        MqttConnectOptions willOptions = options(true);
        willOptions.setWill("status/vanishing", "offline".getBytes(StandardCharsets.UTF_8), 1, true);
        connect(vanishing, willOptions);
        vanishing.disconnectForcibly(0, 1000, false);

        assertThat(inbox.next()).isEqualTo(new Received("status/vanishing", "offline", 1, false));
        assertThat(inbox.messages.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void wildcardsAtTheFirstLevelDoNotSeeDollarTopics() throws Exception {
        running = RunningBroker.open();
        MqttClient everything = client("everything");
        Listener inbox = connect(everything, options(true));
        everything.subscribe("#", 0);
        everything.subscribe("+/things/+/shadow/update", 0);
        MqttClient publisher = client("publisher");
        connect(publisher, options(true));
        publisher.publish("$aws/things/lamp/shadow/update", "{}".getBytes(StandardCharsets.UTF_8), 1, false);
        publisher.publish("plain/topic", "x".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(inbox.next().topic()).isEqualTo("plain/topic");
        assertThat(inbox.messages.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void sysTopicsTellTheBrokersFigures() throws Exception {
        running = RunningBroker.open();
        MqttClient observer = client("observer");
        Listener inbox = connect(observer, options(true));
        observer.subscribe("$SYS/broker/#", 0);
        java.util.Map<String, String> figures = new java.util.HashMap<>();
        for (Received received; (received = inbox.messages.poll(1, TimeUnit.SECONDS)) != null; ) {
            assertThat(received.retained()).isTrue();
            figures.put(received.topic(), received.payload());
        }
        assertThat(figures).containsKeys("$SYS/broker/version", "$SYS/broker/clients/connected",
                "$SYS/broker/messages/received", "$SYS/broker/dropped/queue-full", "$SYS/broker/subscriptions/count");
        assertThat(figures.get("$SYS/broker/version")).startsWith("Hearth ");
    }

    @Test
    void aDeniedSubscriptionFailsInItsSubackAndADeniedPublishEndsTheConnection() throws Exception {
        running = RunningBroker.open(List.of(
                new AclRule(AclRule.Effect.DENY, AclRule.Action.SUBSCRIBE, "test/nosubscribe", null),
                new AclRule(AclRule.Effect.DENY, AclRule.Action.PUBLISH, "secret/#", null)));
        MqttClient client = client("curious");
        Listener listener = connect(client, options(true));
        int[] granted = client.subscribeWithResponse(new String[] {"test/nosubscribe", "test/#", "open/#"}, new int[] {1, 1, 1})
                .getGrantedQos();
        // "test/#" would also receive test/nosubscribe, so it is refused as well.
        assertThat(granted).containsExactly(0x80, 0x80, 1);

        try {
            client.publish("secret/plans", "x".getBytes(StandardCharsets.UTF_8), 1, false);
        } catch (MqttException connectionEnded) {
            // expected: MQTT 3.1.1 has no refusal for a publish but closing the connection
        }
        assertThat(listener.lost.await(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void aSecondConnectionWithTheSameClientIdTakesOver() throws Exception {
        running = RunningBroker.open();
        MqttClient first = client("kitchen-tablet");
        Listener firstListener = connect(first, options(true));
        MqttClient second = client("kitchen-tablet");
        connect(second, options(true));
        assertThat(firstListener.lost.await(5, TimeUnit.SECONDS)).isTrue();
        assertThat(second.isConnected()).isTrue();
    }
}
