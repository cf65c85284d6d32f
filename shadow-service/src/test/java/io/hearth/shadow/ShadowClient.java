package io.hearth.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * An MQTT 5 client (the HiveMQ client, not Hearth's code) that watches shadow topics and makes
 * requests the way a device would: publish, then wait for the {@code /accepted} or {@code /rejected} answer.
 */
final class ShadowClient implements AutoCloseable {

    record Received(String topic, JsonNode body, String text) {
    }

    /** An answer: which topic it came on and its JSON body. */
    record Reply(String topic, JsonNode body) {
        boolean accepted() {
            return topic.endsWith("/accepted");
        }

        int code() {
            return body.path("code").asInt();
        }

        String message() {
            return body.path("message").asText();
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final Mqtt5BlockingClient client;
    private final List<Received> received = new ArrayList<>();

    ShadowClient(int port, String id, String... filters) {
        client = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(port).buildBlocking();
        client.connect();
        client.toAsync().publishes(MqttGlobalPublishFilter.ALL, publish -> {
            String text = new String(publish.getPayloadAsBytes(), StandardCharsets.UTF_8);
            synchronized (received) {
                received.add(new Received(publish.getTopic().toString(), parse(text), text));
                received.notifyAll();
            }
        });
        for (String filter : filters.length == 0 ? new String[] {"$aws/things/+/shadow/#"} : filters) {
            client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send();
        }
    }

    /**
     * Publishes {@code payload} to {@code topic} (QoS 1) and waits for its accepted or rejected answer;
     * for an accepted update, also for the {@code /update/documents} message that closes it, so that
     * a later {@link #mark()} sees none of this request's messages.
     */
    Reply request(String topic, String payload) {
        return request(topic, payload.getBytes(StandardCharsets.UTF_8));
    }

    Reply request(String topic, byte[] payload) {
        return request(topic, payload, null);
    }

    /** Like {@link #request(String, byte[])}, but takes only answers carrying {@code clientToken}. */
    Reply request(String topic, byte[] payload, String clientToken) {
        int from = mark();
        publish(topic, payload);
        Received answer = awaitAfter(from, received -> (received.topic().equals(topic + "/accepted")
                || received.topic().equals(topic + "/rejected"))
                && (clientToken == null || clientToken.equals(received.body().path("clientToken").asText())), WAIT);
        Reply reply = new Reply(answer.topic(), answer.body());
        if (reply.accepted() && topic.endsWith("/update")) {
            long version = reply.body().path("version").asLong();
            awaitAfter(from, received -> received.topic().equals(topic.replaceFirst("/update$", "/update/documents"))
                    && received.body().path("current").path("version").asLong() == version, WAIT);
        }
        return reply;
    }

    void publish(String topic, byte[] payload) {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).payload(payload).send();
    }

    /** How many messages have arrived so far; later waits can look only at what came after. */
    int mark() {
        synchronized (received) {
            return received.size();
        }
    }

    /** The first message on {@code topic} after {@code from}, waiting for it. */
    Received next(String topic, int from) {
        return awaitAfter(from, received -> received.topic().equals(topic), WAIT);
    }

    /** The first message on {@code topic} after {@code from}, if one arrives within {@code wait}. */
    Optional<Received> maybe(String topic, int from, Duration wait) {
        try {
            return Optional.of(awaitAfter(from, received -> received.topic().equals(topic), wait));
        } catch (AssertionError none) {
            return Optional.empty();
        }
    }

    private Received awaitAfter(int from, java.util.function.Predicate<Received> wanted, Duration wait) {
        long deadline = System.nanoTime() + wait.toNanos();
        synchronized (received) {
            while (true) {
                for (int i = from; i < received.size(); i++) {
                    if (wanted.test(received.get(i))) {
                        return received.get(i);
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("no expected message within " + wait + "; got " + received.subList(from, received.size()));
                }
                try {
                    received.wait(Math.max(1, left / 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new AssertionError("interrupted");
                }
            }
        }
    }

    static JsonNode parse(String text) {
        if (text.isEmpty()) {
            return JSON.missingNode();
        }
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            return JSON.missingNode();
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        try {
            client.disconnect();
        } catch (RuntimeException alreadyGone) {
            // the broker may have stopped first
        }
    }
}
