package io.hearth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.core.config.AclRule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.MqttSubscription;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The broker driven by Eclipse Paho's MQTT 5 client: reason codes, properties and options. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttV5ClientsTest {

    private RunningBroker running;
    private final TestClients clients = new TestClients();

    @AfterEach
    void closeEverything() throws Exception {
        clients.closeAll();
        if (running != null) {
            running.close();
        }
    }

    private static final class Inbox extends QuietCallback {
        final BlockingQueue<MqttMessage> messages = new LinkedBlockingQueue<>();
        final BlockingQueue<Integer> disconnects = new LinkedBlockingQueue<>();

        @Override
        public void disconnected(MqttDisconnectResponse response) {
            disconnects.add(response.getReturnCode());
        }

        @Override
        public void messageArrived(String topic, MqttMessage message) {
            messages.add(message);
        }

        MqttMessage next() throws InterruptedException {
            MqttMessage message = messages.poll(5, TimeUnit.SECONDS);
            assertThat(message).as("a message within 5 s").isNotNull();
            return message;
        }
    }

    private static final long WAIT = 5000;

    private MqttAsyncClient client(String id) throws Exception {
        return clients.create(running.tcp(), id);
    }

    private static MqttConnectionOptions options() {
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(true);
        options.setConnectionTimeout(5);
        options.setAutomaticReconnect(false);
        return options;
    }

    private Inbox connect(MqttAsyncClient client, MqttConnectionOptions options) throws MqttException {
        Inbox inbox = new Inbox();
        client.setCallback(inbox);
        client.connect(options).waitForCompletion(WAIT);
        return inbox;
    }

    private static void subscribe(MqttAsyncClient client, String filter, int qos) throws MqttException {
        client.subscribe(filter, qos).waitForCompletion(WAIT);
    }

    private static void publish(MqttAsyncClient client, String topic, MqttMessage message) throws MqttException {
        client.publish(topic, message).waitForCompletion(WAIT);
    }

    @Test
    void aRefusedClientIsToldWhy() throws Exception {
        running = RunningBroker.closedToAnonymous();
        assertThatThrownBy(() -> client("stranger").connect(options()).waitForCompletion(WAIT))
                .isInstanceOfSatisfying(MqttException.class, e -> assertThat(e.getReasonCode()).isEqualTo(0x87));
    }

    @Test
    void messagePropertiesPassThroughUntouched() throws Exception {
        running = RunningBroker.open();
        MqttAsyncClient subscriber = client("subscriber");
        Inbox inbox = connect(subscriber, options());
        MqttProperties subscribeProperties = new MqttProperties();
        subscribeProperties.setSubscriptionIdentifier(42);
        subscriber.subscribe(new MqttSubscription[] {new MqttSubscription("req/#", 1)}, null, null, subscribeProperties)
                .waitForCompletion(WAIT);

        MqttAsyncClient publisher = client("publisher");
        connect(publisher, options());
        MqttMessage request = new MqttMessage("{\"on\":true}".getBytes(StandardCharsets.UTF_8), 1, false, null);
        MqttProperties properties = new MqttProperties();
        properties.setContentType("application/json");
        properties.setResponseTopic("resp/lamp");
        properties.setCorrelationData(new byte[] {1, 2, 3});
        properties.setMessageExpiryInterval(3600L);
        properties.setUserProperties(List.of(new UserProperty("source", "test"), new UserProperty("source", "again")));
        request.setProperties(properties);
        publish(publisher, "req/lamp", request);

        MqttMessage received = inbox.next();
        MqttProperties got = received.getProperties();
        assertThat(new String(received.getPayload(), StandardCharsets.UTF_8)).isEqualTo("{\"on\":true}");
        assertThat(got.getContentType()).isEqualTo("application/json");
        assertThat(got.getResponseTopic()).isEqualTo("resp/lamp");
        assertThat(got.getCorrelationData()).containsExactly(1, 2, 3);
        assertThat(got.getMessageExpiryInterval()).isBetween(3590L, 3600L);
        assertThat(got.getUserProperties()).extracting(UserProperty::getValue).containsExactly("test", "again");
        assertThat(got.getSubscriptionIdentifiers()).containsExactly(42);
    }

    @Test
    void aPublishThatIsNotAllowedGetsReasonCode0x87() throws Exception {
        running = RunningBroker.open(List.of(new AclRule(AclRule.Effect.DENY, AclRule.Action.PUBLISH, "secret/#", null)));
        MqttAsyncClient client = client("curious");
        connect(client, options());
        IMqttToken token = client.publish("secret/plans", new MqttMessage(new byte[] {1}, 1, false, null));
        token.waitForCompletion(WAIT);
        assertThat(token.getReasonCodes()).containsExactly(0x87);
        assertThat(client.isConnected()).isTrue();
    }

    @Test
    void anInvalidFilterIsRefusedWithItsReasonCode() throws Exception {
        running = RunningBroker.open();
        MqttAsyncClient client = client("sloppy");
        connect(client, options());
        IMqttToken token = client.subscribe(new MqttSubscription[] {
                new MqttSubscription("ok/#", 1), new MqttSubscription("$share/group", 1)}, null, null, new MqttProperties());
        token.waitForCompletion(5000);
        assertThat(token.getReasonCodes()).containsExactly(1, 0x8F);
    }

    @Test
    void theServerAssignsAClientIdAndCapsTheKeepAlive() throws Exception {
        running = RunningBroker.open();
        MqttAsyncClient anonymous = client("");
        MqttConnectionOptions options = options();
        options.setKeepAliveInterval(0);
        anonymous.setCallback(new Inbox());
        IMqttToken token = anonymous.connect(options);
        token.waitForCompletion(WAIT);
        assertThat(token.getResponseProperties().getAssignedClientIdentifier()).startsWith("hearth-");
        assertThat(token.getResponseProperties().getServerKeepAlive()).isEqualTo(60);
        assertThat(token.getResponseProperties().getReceiveMaximum()).isEqualTo(16);
    }

    @Test
    void theTakenOverConnectionIsToldWhy() throws Exception {
        running = RunningBroker.open();
        Inbox first = connect(client("tablet"), options());
        connect(client("tablet"), options());
        assertThat(first.disconnects.poll(5, TimeUnit.SECONDS)).isEqualTo(0x8E);
    }

    @Test
    void noLocalKeepsAClientsOwnMessagesFromIt() throws Exception {
        running = RunningBroker.open();
        MqttAsyncClient client = client("echo");
        Inbox inbox = connect(client, options());
        MqttSubscription own = new MqttSubscription("chat/#", 1);
        own.setNoLocal(true);
        client.subscribe(new MqttSubscription[] {own}, null, null, new MqttProperties()).waitForCompletion(WAIT);
        publish(client, "chat/room", new MqttMessage("mine".getBytes(StandardCharsets.UTF_8), 1, false, null));
        MqttAsyncClient other = client("other");
        connect(other, options());
        publish(other, "chat/room", new MqttMessage("theirs".getBytes(StandardCharsets.UTF_8), 1, false, null));
        assertThat(new String(inbox.next().getPayload(), StandardCharsets.UTF_8)).isEqualTo("theirs");
        assertThat(inbox.messages.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aSharedSubscriptionSpreadsMessagesOverItsMembers() throws Exception {
        running = RunningBroker.open();
        Inbox a = connect(client("worker-a"), options());
        subscribe(clients.get(0), "$share/workers/jobs/#", 1);
        Inbox b = connect(client("worker-b"), options());
        subscribe(clients.get(1), "$share/workers/jobs/#", 1);
        MqttAsyncClient producer = client("producer");
        connect(producer, options());
        for (int i = 0; i < 10; i++) {
            publish(producer, "jobs/" + i, new MqttMessage(new byte[] {(byte) i}, 1, false, null));
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (a.messages.size() + b.messages.size() < 10 && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(a.messages.size() + b.messages.size()).isEqualTo(10);
        assertThat(a.messages).hasSize(5);
    }
}
