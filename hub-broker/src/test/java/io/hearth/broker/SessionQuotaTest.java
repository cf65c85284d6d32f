package io.hearth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code hearth.mqtt.max-queued-messages}: what an absent client's session keeps, with Paho's MQTT 5 client. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SessionQuotaTest {

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
    void anAbsentClientsSessionKeepsTheConfiguredNumberOfMessagesAndCountsTheRest() throws Exception {
        running = RunningBroker.withQueueQuota(5);
        BlockingQueue<MqttMessage> inbox = new LinkedBlockingQueue<>();
        MqttAsyncClient subscriber = connect("sensor-log", 3600, inbox);
        subscriber.subscribe("readings/#", 1).waitForCompletion(WAIT);
        subscriber.disconnect().waitForCompletion(WAIT);

        MqttAsyncClient publisher = connect("meter", 0, new LinkedBlockingQueue<>());
        for (int i = 1; i <= 8; i++) {
            publisher.publish("readings/power", new MqttMessage(("reading " + i).getBytes(StandardCharsets.UTF_8), 1, false,
                    null)).waitForCompletion(WAIT);
        }

        connect("sensor-log", 3600, inbox);
        List<String> received = new ArrayList<>();
        for (MqttMessage message = inbox.poll(5, TimeUnit.SECONDS); message != null;
             message = inbox.poll(300, TimeUnit.MILLISECONDS)) {
            received.add(new String(message.getPayload(), StandardCharsets.UTF_8));
        }
        assertThat(received).containsExactly("reading 1", "reading 2", "reading 3", "reading 4", "reading 5");
        assertThat(new SysTopics(running.broker, running.sessions).figures()).containsEntry("dropped/queue-full", "3");
    }
}
