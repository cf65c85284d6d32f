package io.hearth.broker.listener;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * How fast one network address may open connections: a token bucket per address that refills at
 * {@code perSecond} and holds twice that, so a device reconnecting or a tool opening a handful of
 * connections is never slowed, while a flood from one host is answered with a refusal instead of
 * password checks and sessions.
 */
public final class ConnectRate {

    private final double perNano;
    private final double capacity;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    /** @param perSecond connections per second per address; 0 for no limit */
    public ConnectRate(int perSecond) {
        this.perNano = perSecond / (double) TimeUnit.SECONDS.toNanos(1);
        this.capacity = 2.0 * perSecond;
    }

    /** Takes one connection from {@code address}'s allowance at {@code now} (nanoseconds); false when there is none left. */
    public boolean allow(String address, long now) {
        if (capacity == 0) {
            return true;
        }
        Bucket bucket = buckets.computeIfAbsent(address, any -> new Bucket(capacity, now));
        synchronized (bucket) {
            bucket.refill(now, perNano, capacity);
            if (bucket.tokens < 1) {
                return false;
            }
            bucket.tokens--;
            return true;
        }
    }

    /** Forgets addresses whose allowance is full again: they are as good as new. */
    public void forgetRested(long now) {
        buckets.values().removeIf(bucket -> {
            synchronized (bucket) {
                bucket.refill(now, perNano, capacity);
                return bucket.tokens >= capacity;
            }
        });
    }

    /** How many addresses are being watched; rested ones are forgotten on each sweep. */
    public int addressesTracked() {
        return buckets.size();
    }

    private static final class Bucket {
        double tokens;
        long refilledAt;

        Bucket(double tokens, long now) {
            this.tokens = tokens;
            this.refilledAt = now;
        }

        void refill(long now, double perNano, double capacity) {
            tokens = Math.min(capacity, tokens + (now - refilledAt) * perNano);
            refilledAt = now;
        }
    }
}
