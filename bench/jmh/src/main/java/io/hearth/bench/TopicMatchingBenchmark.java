package io.hearth.bench;

import io.hearth.broker.routing.Subscription;
import io.hearth.broker.routing.SubscriptionIndex;
import io.hearth.core.bus.Qos;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Matching a published topic against 100,000 subscriptions shaped like a hub's: one device topic
 * per device, per-room wildcards, and a few whole-tree listeners.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class TopicMatchingBenchmark {

    private static final int DEVICES = 99_000;

    private final SubscriptionIndex index = new SubscriptionIndex();
    private final String[] topics = new String[1024];
    private int next;

    @Setup
    public void subscribe() {
        for (int device = 0; device < DEVICES; device++) {
            index.add(Subscription.of("device-" + device, "hearth/devices/device-" + device + "/set", Qos.AT_LEAST_ONCE));
        }
        for (int room = 0; room < 990; room++) {
            index.add(Subscription.of("room-panel-" + room, "home/room-" + room + "/+/state", Qos.AT_MOST_ONCE));
        }
        for (int listener = 0; listener < 10; listener++) {
            index.add(Subscription.of("logger-" + listener, "hearth/devices/#", Qos.AT_MOST_ONCE));
        }
        for (int i = 0; i < topics.length; i++) {
            topics[i] = i % 2 == 0 ? "hearth/devices/device-" + (i * 97 % DEVICES) + "/set"
                    : "home/room-" + (i % 990) + "/lamp/state";
        }
    }

    @Benchmark
    public void matchOneTopic(Blackhole sink) {
        index.match(topics[next++ & (topics.length - 1)], sink::consume);
    }
}
