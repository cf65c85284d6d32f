package io.hearth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.eclipse.paho.mqttv5.common.packet.UserProperty;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Sessions and retained messages come back after the broker restarts. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class PersistenceTest {

    private static final long WAIT = 5000;
    private RunningBroker running;
    private final TestClients clients = new TestClients();

    @AfterEach
    void closeEverything() throws Exception {
        clients.closeAll();
        running.close();
    }

    private MqttAsyncClient connect(String id, long sessionExpiry, BlockingQueue<MqttMessage> inbox) throws Exception {
        MqttAsyncClient client = clients.create(running.tcp(), id);
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(sessionExpiry);
        options.setAutomaticReconnect(false);
        client.setCallback(new QuietCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                inbox.add(message);
            }
        });
        client.connect(options).waitForCompletion(WAIT);
        return client;
    }

    @Test
    void aPersistentSessionAndItsQueuedMessagesSurviveARestart() throws Exception {
        running = RunningBroker.open();
        BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
        MqttAsyncClient subscriber = connect("thermostat", 3600, inbox);
        subscriber.subscribe("heating/#", 2).waitForCompletion(WAIT);
        subscriber.disconnect().waitForCompletion(WAIT);

        MqttAsyncClient publisher = connect("app", 0, new LinkedBlockingQueue<>());
        for (int i = 1; i <= 3; i++) {
            MqttMessage message = new MqttMessage(("setpoint " + i).getBytes(StandardCharsets.UTF_8), i == 3 ? 2 : 1, false, null);
            MqttProperties properties = new MqttProperties();
            properties.setUserProperties(List.of(new UserProperty("by", "app")));
            message.setProperties(properties);
            publisher.publish("heating/living", message).waitForCompletion(WAIT);
        }
        publisher.disconnect().waitForCompletion(WAIT);

        running = running.restart();

        MqttAsyncClient back = connect("thermostat", 3600, inbox);
        assertThat(back.isConnected()).isTrue();
        List<String> received = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            MqttMessage message = inbox.poll(5, TimeUnit.SECONDS);
            assertThat(message).as("message %d after the restart", i + 1).isNotNull();
            received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
            assertThat(message.getProperties().getUserProperties()).extracting(UserProperty::getValue).containsExactly("app");
        }
        assertThat(received).containsExactly("setpoint 1", "setpoint 2", "setpoint 3");

        // The subscription came back too: a new message is delivered.
        MqttAsyncClient again = connect("app", 0, new LinkedBlockingQueue<>());
        again.publish("heating/kitchen", new MqttMessage("live".getBytes(StandardCharsets.UTF_8), 1, false, null))
                .waitForCompletion(WAIT);
        assertThat(new String(inbox.poll(5, TimeUnit.SECONDS).getPayload(), StandardCharsets.UTF_8)).isEqualTo("live");
    }

    @Test
    void retainedMessagesSurviveARestartAndTheirDeletionToo() throws Exception {
        running = RunningBroker.open();
        MqttAsyncClient publisher = connect("sensor", 0, new LinkedBlockingQueue<>());
        publisher.publish("hearth/devices/a/availability", new MqttMessage("online".getBytes(StandardCharsets.UTF_8), 1, true, null))
                .waitForCompletion(WAIT);
        publisher.publish("hearth/devices/b/availability", new MqttMessage("online".getBytes(StandardCharsets.UTF_8), 1, true, null))
                .waitForCompletion(WAIT);
        publisher.publish("hearth/devices/b/availability", new MqttMessage(new byte[0], 1, true, null)).waitForCompletion(WAIT);
        publisher.disconnect().waitForCompletion(WAIT);

        running = running.restart();

        BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
        MqttAsyncClient late = connect("late", 0, inbox);
        late.subscribe("hearth/devices/+/availability", 1).waitForCompletion(WAIT);
        MqttMessage kept = inbox.poll(5, TimeUnit.SECONDS);
        assertThat(kept).isNotNull();
        assertThat(kept.isRetained()).isTrue();
        assertThat(new String(kept.getPayload(), StandardCharsets.UTF_8)).isEqualTo("online");
        assertThat(inbox.poll(300, TimeUnit.MILLISECONDS)).isNull();
    }

    @Test
    void aPublishIsAcknowledgedOnlyOnceItsCopyForAnOfflineSessionIsCommitted() throws Exception {
        running = RunningBroker.open();
        MqttAsyncClient subscriber = connect("logger", 3600, new LinkedBlockingQueue<>());
        subscriber.subscribe("log/#", 1).waitForCompletion(WAIT);
        subscriber.disconnect().waitForCompletion(WAIT);
        MqttAsyncClient publisher = connect("app", 0, new LinkedBlockingQueue<>());

        CountDownLatch commitsMayGo = new CountDownLatch(1);
        running.journal.submit(connection -> {
            try {
                commitsMayGo.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        IMqttToken stored = publisher.publish("log/entry", new MqttMessage("kept".getBytes(StandardCharsets.UTF_8), 1, false, null));
        IMqttToken notStored = publisher.publish("elsewhere", new MqttMessage("x".getBytes(StandardCharsets.UTF_8), 1, false, null));
        Thread.sleep(300);
        // PUBACKs go out in order: the second waits behind the first even though it needed no storing.
        assertThat(stored.isComplete()).as("acknowledged before its commit").isFalse();
        assertThat(notStored.isComplete()).isFalse();
        commitsMayGo.countDown();
        stored.waitForCompletion(WAIT);
        notStored.waitForCompletion(WAIT);
        assertThat(stored.getReasonCodes()).containsExactly(0);
    }

    @Test
    void aSessionWithoutExpiryIsNotKept() throws Exception {
        running = RunningBroker.open();
        BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
        MqttAsyncClient passing = connect("passing", 0, inbox);
        passing.subscribe("news/#", 1).waitForCompletion(WAIT);
        passing.disconnect().waitForCompletion(WAIT);
        running = running.restart();
        assertThat(running.broker.subscriptionCount()).isZero();
    }
}
