package io.hearth.serial;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.broker.Broker;
import io.hearth.broker.persistence.BrokerStore;
import io.hearth.broker.routing.AccessPolicy;
import io.hearth.core.bus.BusClient;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import io.hearth.core.config.SerialGateway;
import io.hearth.core.store.DataDir;
import io.hearth.core.store.Store;
import io.hearth.serial.link.Backoff;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * The embedded broker (the hub's real Bus) on its own database in a test directory, the serial
 * binding on it, and an observer that records what the binding publishes.
 */
public final class TestHub implements AutoCloseable {

    /** Quick retries, so an unplug test does not wait long for the binding to try again. */
    public static final Backoff FAST = new Backoff(Duration.ofMillis(100), Duration.ofMillis(400));
    private static final ObjectMapper JSON = new ObjectMapper();

    public final Broker broker;
    public final Store store;
    private final BusClient observer;
    private final List<BusMessage> heard = new CopyOnWriteArrayList<>();
    private SerialBinding binding;

    public TestHub(Path dataDir) throws Exception {
        store = new Store(DataDir.prepare(dataDir), List.of(BrokerStore.MIGRATIONS, SerialBeans.MIGRATIONS));
        store.start();
        broker = new Broker(new AccessPolicy(List.of()), new BrokerStore(store.journal()));
        observer = broker.connect("observer");
        observer.subscribe("hearth/devices/#", Qos.AT_LEAST_ONCE, heard::add).toCompletableFuture().join();
        observer.subscribe("$aws/things/+/shadow/update", Qos.AT_LEAST_ONCE, heard::add).toCompletableFuture().join();
    }

    public SerialBinding startBinding(SerialGateway... gateways) throws Exception {
        return startBinding(Clock.systemUTC(), gateways);
    }

    public SerialBinding startBinding(Clock clock, SerialGateway... gateways) throws Exception {
        binding = new SerialBinding(List.of(gateways), broker, store, FAST, clock);
        binding.start();
        return binding;
    }

    public void stopBinding() {
        if (binding != null) {
            binding.stop();
            binding = null;
        }
    }

    /** Publishes as the shadow service would. */
    public void publish(String topic, String payload) {
        broker.connect("shadow-service").publish(BusMessage.of(topic, payload, Qos.AT_LEAST_ONCE, false))
                .toCompletableFuture().join();
    }

    /** The first message on {@code topic} whose payload satisfies {@code test}, waiting up to 5 s; null if none. */
    public String await(String topic, Predicate<String> test) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (System.nanoTime() < deadline) {
            for (BusMessage message : heard) {
                if (message.topic().equals(topic) && test.test(message.payloadText())) {
                    return message.payloadText();
                }
            }
            Thread.sleep(10);
        }
        return null;
    }

    public List<String> payloads(String topic) {
        return heard.stream().filter(m -> m.topic().equals(topic)).map(BusMessage::payloadText).toList();
    }

    public void forget() {
        heard.clear();
    }

    public static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    /** True when the text is a JSON shadow update reporting {@code key} as {@code value}. */
    public static Predicate<String> reports(String key, Object value) {
        return text -> {
            JsonNode reported = json(text).path("state").path("reported").path(key);
            return !reported.isMissingNode() && reported.equals(JSON.valueToTree(value))
                    || reported.isNumber() && value instanceof Number n && reported.asDouble() == n.doubleValue();
        };
    }

    @Override
    public void close() {
        stopBinding();
        observer.close();
        store.stop();
    }
}
