package io.hearth.serial.link;

import java.time.Duration;

/**
 * How long to wait before trying to reopen a port that failed: doubling from {@code first} up to
 * {@code max}, so a replugged adapter is back within seconds while a missing one costs little.
 */
public record Backoff(Duration first, Duration max) {

    public static final Backoff DEFAULT = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(10));

    public Backoff {
        if (first.isNegative() || first.isZero() || max.compareTo(first) < 0) {
            throw new IllegalArgumentException("backoff needs 0 < first <= max");
        }
    }

    /** The wait before attempt {@code failures + 1}, given {@code failures} failures in a row (at least 1). */
    public Duration after(int failures) {
        Duration wait = first;
        for (int i = 1; i < failures && wait.compareTo(max) < 0; i++) {
            wait = wait.multipliedBy(2);
        }
        return wait.compareTo(max) > 0 ? max : wait;
    }
}
