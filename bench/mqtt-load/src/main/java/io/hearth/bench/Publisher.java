package io.hearth.bench;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import java.util.List;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Sends numbered messages through the client's async API on a thread of its own. At most
 * {@code window} publishes are outstanding (QoS 1: not yet PUBACKed; QoS 0: not yet written), so the
 * generator keeps the broker busy without queueing the whole run in its own memory.
 */
final class Publisher implements Runnable {

    private final int id;
    private final List<Mqtt3AsyncClient> clients;
    private final String topic;
    private final MqttQos qos;
    private final int count;
    private final int perSecond;
    private final int window;
    private final Semaphore outstanding;
    private final long deadlineNanos;
    private final AtomicLong failed = new AtomicLong();
    private volatile long startNanos;
    private volatile long completedNanos;
    private volatile int sent;

    /** @param perSecond a fixed send rate, or 0 for as fast as the window allows */
    Publisher(int id, Mqtt3AsyncClient client, String topic, MqttQos qos, int count, int perSecond, int window,
              long deadlineNanos) {
        this(id, List.of(client), topic, qos, count, perSecond, window, deadlineNanos);
    }

    /**
     * Sends through several clients in turn, message by message: message {@code i} goes through client
     * {@code i % clients.size()}.
     */
    Publisher(int id, List<Mqtt3AsyncClient> clients, String topic, MqttQos qos, int count, int perSecond, int window,
              long deadlineNanos) {
        this.id = id;
        this.clients = List.copyOf(clients);
        this.topic = topic;
        this.qos = qos;
        this.count = count;
        this.perSecond = perSecond;
        this.window = window;
        this.outstanding = new Semaphore(window);
        this.deadlineNanos = deadlineNanos;
    }

    Thread start() {
        Thread thread = new Thread(this, "publisher-" + id);
        thread.setDaemon(true);
        thread.start();
        return thread;
    }

    @Override
    public void run() {
        startNanos = System.nanoTime();
        long period = perSecond > 0 ? 1_000_000_000L / perSecond : 0;
        try {
            for (int i = 0; i < count; i++) {
                if (period > 0) {
                    // Pace against the schedule, not the previous send, so a late send does not shift the rest.
                    long wait = startNanos + i * period - System.nanoTime();
                    if (wait > 0) {
                        LockSupport.parkNanos(wait);
                    }
                }
                long left = deadlineNanos - System.nanoTime();
                if (left <= 0 || !outstanding.tryAcquire(left, TimeUnit.NANOSECONDS)) {
                    break;
                }
                clients.get(sideOf(i)).publishWith().topic(topic).qos(qos).payload(Receipts.payload(id, i, System.nanoTime())).send()
                        .whenComplete((ack, error) -> {
                            if (error != null) {
                                failed.incrementAndGet();
                            }
                            outstanding.release();
                        });
                sent = i + 1;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Waits (until the deadline) for every publish to complete: PUBACKed for QoS 1, written for QoS 0. */
    boolean awaitCompleted(Thread thread) throws InterruptedException {
        thread.join(Math.max(1, (deadlineNanos - System.nanoTime()) / 1_000_000));
        long left = deadlineNanos - System.nanoTime();
        boolean all = left > 0 && outstanding.tryAcquire(window, left, TimeUnit.NANOSECONDS);
        if (all) {
            outstanding.release(window);
        }
        completedNanos = System.nanoTime();
        return all && sent == count;
    }

    /** Which of the clients message {@code i} goes through. */
    int sideOf(int i) {
        return i % clients.size();
    }

    int sent() {
        return sent;
    }

    long failed() {
        return failed.get();
    }

    long startNanos() {
        return startNanos;
    }

    /** When every publish had completed (set by {@link #awaitCompleted}). */
    long completedNanos() {
        return completedNanos;
    }
}
