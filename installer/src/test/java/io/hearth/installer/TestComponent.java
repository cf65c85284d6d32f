package io.hearth.installer;

import io.hearth.core.lifecycle.Health;
import io.hearth.core.lifecycle.HubComponent;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A component whose start can be held, made to fail, and whose lifecycle calls are recorded. */
class TestComponent implements HubComponent {

    private final String name;
    private final int order;
    private final boolean essential;
    private final List<String> events;
    private volatile RuntimeException startFailure;
    private volatile Health health = Health.starting();

    TestComponent(String name, int order, boolean essential, List<String> events) {
        this.name = name;
        this.order = order;
        this.essential = essential;
        this.events = events;
    }

    /** A component that waits in start() until {@code release()} is called. */
    static TestComponent held(String name, int order, List<String> events) {
        return new TestComponent(name, order, true, events) {
            private final CountDownLatch gate = new CountDownLatch(1);

            @Override
            void release() {
                gate.countDown();
            }

            @Override
            void await() throws InterruptedException {
                if (!gate.await(30, TimeUnit.SECONDS)) {
                    throw new IllegalStateException("never released");
                }
            }
        };
    }

    TestComponent failingWith(String message) {
        startFailure = new IllegalStateException(message);
        return this;
    }

    void release() {
    }

    void await() throws InterruptedException {
    }

    void reportDown(String why) {
        health = Health.down(why);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int startOrder() {
        return order;
    }

    @Override
    public boolean essential() {
        return essential;
    }

    @Override
    public void start() throws Exception {
        await();
        if (startFailure != null) {
            throw startFailure;
        }
        events.add("start " + name);
        health = Health.up(Map.of());
    }

    /** When set, each stop also records whether that HTTP port was still accepting connections. */
    volatile int watchedHttpPort;

    @Override
    public void stop() {
        events.add("stop " + name + (watchedHttpPort == 0 ? ""
                : TestPorts.isListening(watchedHttpPort) ? " (HTTP still open)" : " (HTTP closed)"));
    }

    @Override
    public Health health() {
        return health;
    }
}
