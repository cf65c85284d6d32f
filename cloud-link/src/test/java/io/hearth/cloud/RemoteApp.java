package io.hearth.cloud;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttClient;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An app on the cloud side: an independent MQTT 5 client on the cloud broker that talks to the
 * hub's shadows the way a phone app would. Its session survives a broker restart, so nothing the
 * hub sends while it reconnects is lost to the test.
 */
final class RemoteApp implements AutoCloseable {

    record Received(String topic, JsonNode body, int bytes) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Everything received and not yet taken by {@link #await}, in arrival order. */
    final BlockingQueue<Received> received = new LinkedBlockingQueue<>();
    private final List<Received> passedOver = new ArrayList<>();
    private final Mqtt5AsyncClient client;

    RemoteApp(int port, String filter) throws Exception {
        client = MqttClient.builder().useMqttVersion5().identifier("remote-app").serverHost("127.0.0.1")
                .serverPort(port).automaticReconnect().initialDelay(50, TimeUnit.MILLISECONDS)
                .maxDelay(200, TimeUnit.MILLISECONDS).applyAutomaticReconnect()
                .addConnectedListener(context -> { })
                .buildAsync();
        client.publishes(com.hivemq.client.mqtt.MqttGlobalPublishFilter.ALL, publish -> received.add(
                new Received(publish.getTopic().toString(), parse(publish.getPayloadAsBytes()),
                        publish.getPayloadAsBytes().length)));
        client.connectWith().cleanStart(false).sessionExpiryInterval(600).send().get(10, TimeUnit.SECONDS);
        client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().get(10, TimeUnit.SECONDS);
    }

    void publish(String topic, String json) throws Exception {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(json.getBytes(StandardCharsets.UTF_8))
                .send().get(10, TimeUnit.SECONDS);
    }

    /**
     * Waits for a message on {@code topic} that {@code wanted} accepts and takes it; messages passed
     * over stay available to later calls, since the hub's answers and its outbox are not ordered.
     */
    synchronized Received await(String topic, Predicate<JsonNode> wanted, long seconds) throws InterruptedException {
        for (java.util.Iterator<Received> it = passedOver.iterator(); it.hasNext(); ) {
            Received earlier = it.next();
            if (earlier.topic().equals(topic) && wanted.test(earlier.body())) {
                it.remove();
                return earlier;
            }
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (System.nanoTime() < deadline) {
            Received next = received.poll(50, TimeUnit.MILLISECONDS);
            if (next == null) {
                continue;
            }
            if (next.topic().equals(topic) && wanted.test(next.body())) {
                return next;
            }
            passedOver.add(next);
        }
        List<String> seen = passedOver.stream().map(r -> r.topic() + " " + r.body()).toList();
        throw new AssertionError("nothing on " + topic + " within " + seconds + " s; received instead: " + seen);
    }

    /** Forgets everything received so far. */
    synchronized void forget() {
        received.clear();
        passedOver.clear();
    }

    Received await(String topic, long seconds) throws InterruptedException {
        return await(topic, body -> true, seconds);
    }

    @Override
    public void close() {
        try {
            client.disconnect().get(5, TimeUnit.SECONDS);
        } catch (Exception e) {
            // already gone with the broker
        }
    }

    private static JsonNode parse(byte[] payload) {
        try {
            return JSON.readTree(payload);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
