package io.hearth.zigbee;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.core.bus.Bus;
import io.hearth.core.bus.BusClient;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/** Watches topics through an in-process bus client, as {@code mosquitto_sub} would, and waits for messages. */
final class TopicRecorder implements AutoCloseable {

    static final ObjectMapper JSON = new ObjectMapper();

    private final BusClient client;
    private final List<BusMessage> messages = new ArrayList<>();

    TopicRecorder(Bus bus, String... filters) throws Exception {
        client = bus.connect("observer");
        for (String filter : filters) {
            client.subscribe(filter, Qos.AT_LEAST_ONCE, this::record).toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    private synchronized void record(BusMessage message) {
        messages.add(message);
        notifyAll();
    }

    /** Waits for a message on {@code topic} matching {@code test}, and returns it. */
    synchronized BusMessage await(String topic, Predicate<BusMessage> test, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            Optional<BusMessage> found = messages.stream().filter(m -> m.topic().equals(topic)).filter(test).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            long left = deadline - System.nanoTime();
            assertThat(left).as("a matching message on %s; got %s", topic, summary(topic)).isPositive();
            wait(Math.max(1, left / 1_000_000));
        }
    }

    BusMessage await(String topic, Predicate<BusMessage> test) throws InterruptedException {
        return await(topic, test, Duration.ofSeconds(10));
    }

    synchronized List<BusMessage> on(String topic) {
        return messages.stream().filter(m -> m.topic().equals(topic)).toList();
    }

    synchronized void clear() {
        messages.clear();
    }

    private List<String> summary(String topic) {
        return messages.stream().filter(m -> m.topic().equals(topic)).map(BusMessage::payloadText).toList();
    }

    static JsonNode json(BusMessage message) {
        try {
            return JSON.readTree(message.payload());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True for a shadow update whose reported state has {@code key} equal to {@code value}. */
    static Predicate<BusMessage> reports(String key, Object value) {
        return m -> {
            JsonNode reported = json(m).path("state").path("reported").path(key);
            return !reported.isMissingNode() && JSON.valueToTree(value).equals(reported)
                    || reported.isNumber() && value instanceof Number n && reported.asDouble() == n.doubleValue();
        };
    }

    @Override
    public void close() {
        client.close();
    }
}
