package io.hearth.broker;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.broker.session.Session;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttAsyncClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** A slow subscriber slows its publisher instead of losing QoS 1 messages or piling them up. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class BackpressureTest {

    private static final int MESSAGES = 3_000;
    private RunningBroker running;
    private final TestClients clients = new TestClients();

    @AfterEach
    void closeEverything() throws Exception {
        clients.closeAll();
        running.close();
    }

    @Test
    void aSlowSubscriberGetsEveryMessageInOrderAndTheQueueStaysBounded() throws Exception {
        running = RunningBroker.open();
        AtomicInteger next = new AtomicInteger();
        AtomicReference<String> disorder = new AtomicReference<>();
        MqttAsyncClient slow = clients.create(running.tcp(), "slow-display");
        slow.setCallback(new QuietCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) throws InterruptedException {
                int value = ByteBuffer.wrap(message.getPayload()).getInt();
                if (value != next.getAndIncrement()) {
                    disorder.compareAndSet(null, "expected " + (next.get() - 1) + " but got " + value);
                }
                if (value % 10 == 0) {
                    Thread.sleep(20); // a display that redraws now and then: about 500 messages a second
                }
            }
        });
        MqttConnectionOptions slowOptions = new MqttConnectionOptions();
        slowOptions.setReceiveMaximum(1);
        slowOptions.setAutomaticReconnect(false);
        slow.connect(slowOptions).waitForCompletion(5000);
        slow.subscribe("meter/power", 1).waitForCompletion(5000);

        // The publisher is Paho's MQTT 3.1.1 client: its MQTT 5 client miscounts in-flight messages under load.
        org.eclipse.paho.client.mqttv3.MqttAsyncClient meter = new org.eclipse.paho.client.mqttv3.MqttAsyncClient(
                running.tcp(), "fast-meter", new org.eclipse.paho.client.mqttv3.persist.MemoryPersistence());
        org.eclipse.paho.client.mqttv3.MqttConnectOptions meterOptions = new org.eclipse.paho.client.mqttv3.MqttConnectOptions();
        // Paho leaks in-flight slots under load ("too many publishes in progress"); the window of 50
        // below is what really bounds this publisher.
        meterOptions.setMaxInflight(MESSAGES);
        meterOptions.setAutomaticReconnect(false);
        meter.connect(meterOptions).waitForCompletion(5000);
        Session display = running.sessions.get("slow-display");
        int longestQueue = 0;
        List<org.eclipse.paho.client.mqttv3.IMqttDeliveryToken> window = new ArrayList<>();
        try {
            for (int i = 0; i < MESSAGES; i++) {
                window.add(meter.publish("meter/power", ByteBuffer.allocate(4).putInt(i).array(), 1, false));
                if (window.size() == 50) {
                    for (org.eclipse.paho.client.mqttv3.IMqttDeliveryToken token : window) {
                        token.waitForCompletion(30_000);
                    }
                    window.clear();
                    longestQueue = Math.max(longestQueue, display.pending());
                }
            }
        } finally {
            meter.disconnectForcibly(0, 1000, false);
            meter.close(true);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (next.get() < MESSAGES && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(next.get()).as("messages delivered").isEqualTo(MESSAGES);
        assertThat(disorder.get()).isNull();
        assertThat(running.broker.counters().droppedQueueFullCount()).isZero();
        // Paused at 1,000 waiting; at most one more window of the publisher's arrives before it stops.
        assertThat(longestQueue).as("messages waiting for the slow subscriber").isBetween(900, 1_000 + 50);
    }
}
