package io.hearth.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class StatsTest {

    @Test
    void nearestRankPercentiles() {
        long[] values = new long[100];
        for (int i = 0; i < values.length; i++) {
            values[values.length - 1 - i] = i + 1; // 100..1: percentile must not rely on the input order
        }
        assertThat(Stats.percentile(values, 50)).isEqualTo(50);
        assertThat(Stats.percentile(values, 99)).isEqualTo(99);
        assertThat(Stats.percentile(values, 100)).isEqualTo(100);
        assertThat(values[0]).as("input left as it was").isEqualTo(100);
    }

    @Test
    void percentileOfOneAndOfNone() {
        assertThat(Stats.percentile(new long[] {7}, 1)).isEqualTo(7);
        assertThat(Stats.percentile(new long[0], 50)).isNaN();
        assertThatThrownBy(() -> Stats.percentile(new long[] {1}, 0)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void ratePerSecond() {
        assertThat(Stats.perSecond(5_000, 500_000_000L)).isEqualTo(10_000.0);
        assertThat(Stats.perSecond(1, 0)).isNaN();
    }
}
