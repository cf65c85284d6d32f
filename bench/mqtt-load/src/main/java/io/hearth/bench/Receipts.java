package io.hearth.bench;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.BitSet;

/**
 * What one subscriber received. Every payload carries its publisher, its sequence number and the
 * time it was handed to the client, so losses and duplicates are counted exactly, not estimated.
 */
final class Receipts {

    static final int PAYLOAD_BYTES = 64;

    private final BitSet[] seen;
    private final long[] latencies; // by sequence number, for the latency scenario; else empty
    private final int measureFrom;
    private long distinct;
    private long duplicates;
    private volatile long lastNanos;

    /**
     * @param publishers how many publishers send to this subscriber
     * @param latencySlots sequence numbers to keep latencies for (0: none)
     * @param measureFrom first sequence number whose latency counts (earlier ones warm up)
     */
    Receipts(int publishers, int latencySlots, int measureFrom) {
        seen = new BitSet[publishers];
        Arrays.setAll(seen, i -> new BitSet());
        latencies = new long[latencySlots];
        Arrays.fill(latencies, -1);
        this.measureFrom = measureFrom;
    }

    /** A 64-byte payload: publisher, sequence number, send time (System.nanoTime), zero padding. */
    static byte[] payload(int publisher, int sequence, long sentNanos) {
        return ByteBuffer.allocate(PAYLOAD_BYTES).putInt(publisher).putInt(sequence).putLong(sentNanos).array();
    }

    // Synchronized: several subscribers may share one instance, and callbacks run on client threads.
    synchronized void record(byte[] payload) {
        long now = System.nanoTime();
        ByteBuffer buffer = ByteBuffer.wrap(payload);
        int publisher = buffer.getInt();
        int sequence = buffer.getInt();
        long sent = buffer.getLong();
        if (seen[publisher].get(sequence)) {
            duplicates++;
        } else {
            seen[publisher].set(sequence);
            distinct++;
            if (sequence >= measureFrom && sequence < latencies.length) {
                latencies[sequence] = now - sent;
            }
        }
        lastNanos = now;
    }

    synchronized long distinct() {
        return distinct;
    }

    synchronized long duplicates() {
        return duplicates;
    }

    /** When the last message arrived (System.nanoTime), or 0 before the first. */
    long lastNanos() {
        return lastNanos;
    }

    /** Latencies in nanoseconds of the measured messages that arrived. */
    synchronized long[] latencies() {
        return Arrays.stream(latencies, Math.min(measureFrom, latencies.length), latencies.length)
                .filter(v -> v >= 0).toArray();
    }

    /**
     * Waits until {@code expected} distinct messages arrived, or nothing arrived for {@code idleMillis}
     * after {@code quietSince} (the publishers' end), or the deadline passed.
     */
    void await(long expected, long quietSince, long idleMillis, long deadlineNanos) throws InterruptedException {
        while (distinct() < expected && System.nanoTime() < deadlineNanos) {
            long lastActivity = Math.max(lastNanos, quietSince);
            if (System.nanoTime() - lastActivity > idleMillis * 1_000_000L) {
                return;
            }
            Thread.sleep(20);
        }
    }
}
