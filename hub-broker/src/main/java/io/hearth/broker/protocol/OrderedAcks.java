package io.hearth.broker.protocol;

import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The acknowledgements one connection owes for its QoS 1/2 publishes, answered in the order the
 * publishes came and each only once its message is as durable as promised. A journal commit
 * completes many publishes at once; they are answered by one task on the connection's thread, and
 * flushed together, rather than by one task and one write each.
 *
 * <p>Everything but {@link #ready} runs on the connection's event loop.
 */
final class OrderedAcks {

    /** A publish waiting for its acknowledgement. */
    record Owed(CompletableFuture<Void> durable, int qos, int packetId) {
    }

    private final ArrayDeque<Owed> owed = new ArrayDeque<>();
    private int owedQos1;
    private final AtomicBoolean drainScheduled = new AtomicBoolean();
    private final Runnable drain = this::drainOnLoop;
    private final java.util.concurrent.Executor loop;
    private final Consumer<Owed> answer;
    private final Runnable flush;

    /**
     * @param answer writes the acknowledgement of one publish (success or failure, from its future)
     * @param flush sends what {@code answer} wrote
     */
    OrderedAcks(java.util.concurrent.Executor loop, Consumer<Owed> answer, Runnable flush) {
        this.loop = loop;
        this.answer = answer;
        this.flush = flush;
    }

    /** True when no acknowledgement is owed: a publish that needs no storing may be answered at once. */
    boolean isEmpty() {
        return owed.isEmpty();
    }

    /** QoS 1 publishes not yet acknowledged (QoS 2 ones are counted until their PUBREL, by the connection). */
    int owedQos1() {
        return owedQos1;
    }

    void add(Owed publish) {
        owed.add(publish);
        if (publish.qos() == 1) {
            owedQos1++;
        }
        if (publish.durable().isDone()) {
            ready(null, null);
        } else {
            publish.durable().whenComplete(this::ready);
        }
    }

    /** Any thread: some publish became durable (or failed); answer what can be answered now. */
    private void ready(Object ignored, Throwable alsoIgnored) {
        if (drainScheduled.compareAndSet(false, true)) {
            loop.execute(drain);
        }
    }

    private void drainOnLoop() {
        drainScheduled.set(false);
        boolean wrote = false;
        while (!owed.isEmpty() && owed.peek().durable().isDone()) {
            Owed publish = owed.poll();
            if (publish.qos() == 1) {
                owedQos1--;
            }
            answer.accept(publish);
            wrote = true;
        }
        if (wrote) {
            flush.run();
        }
    }
}
