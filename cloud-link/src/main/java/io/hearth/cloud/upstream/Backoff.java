package io.hearth.cloud.upstream;

import java.time.Duration;
import java.util.random.RandomGenerator;

/**
 * Delays between connection attempts: doubling from {@code first} up to {@code max}, each drawn at
 * random from the upper half of its step. The randomness keeps many hubs that lost the same cloud at
 * the same moment from all knocking again in the same second.
 */
public record Backoff(Duration first, Duration max) {

    public Backoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= max");
        }
    }

    public static Backoff standard() {
        return new Backoff(Duration.ofSeconds(1), Duration.ofMinutes(2));
    }

    /** The delay before attempt number {@code failures + 1}, after {@code failures} failed ones (from 1). */
    public Duration delayAfter(int failures, RandomGenerator random) {
        long step = first.toMillis();
        for (int i = 1; i < failures && step < max.toMillis(); i++) {
            step *= 2;
        }
        step = Math.min(step, max.toMillis());
        long half = step / 2;
        return Duration.ofMillis(half + random.nextLong(step - half + 1));
    }
}
