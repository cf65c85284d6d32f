package io.hearth.cloud.sync;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/**
 * Devices waiting for a sync, each at most once however often it changes, in the order they first
 * asked. Devices queued by a full sync are marked, so the worker can pace them.
 */
final class SyncQueue {

    record Item(String device, boolean paced) {
    }

    private final Set<String> waiting = new LinkedHashSet<>();
    private final Set<String> paced = new java.util.HashSet<>();

    synchronized void add(String device, boolean fromFullSync) {
        if (waiting.add(device) && fromFullSync) {
            paced.add(device);
        } else if (!fromFullSync) {
            paced.remove(device);
        }
        notifyAll();
    }

    /** The next device, or null when none came within the timeout. */
    synchronized Item take(long timeoutMillis) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        while (waiting.isEmpty()) {
            long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (left <= 0) {
                return null;
            }
            wait(left);
        }
        String device = waiting.iterator().next();
        waiting.remove(device);
        return new Item(device, paced.remove(device));
    }

    synchronized int size() {
        return waiting.size();
    }
}
