package io.hearth.bench;

import java.util.Arrays;

/** The few statistics the benchmark reports; kept here so they can be unit-tested. */
final class Stats {

    private Stats() {
    }

    /**
     * The nearest-rank percentile: the smallest value with at least {@code p} percent of the values
     * at or below it. NaN when there are no values. Sorts a copy, so the caller's array is untouched.
     */
    static double percentile(long[] values, double p) {
        if (values.length == 0) {
            return Double.NaN;
        }
        if (p <= 0 || p > 100) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + p);
        }
        long[] sorted = values.clone();
        Arrays.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.length);
        return sorted[Math.max(rank, 1) - 1];
    }

    /** Events per second over an interval in nanoseconds; NaN when the interval is empty. */
    static double perSecond(long events, long nanos) {
        return nanos <= 0 ? Double.NaN : events * 1e9 / nanos;
    }
}
