package io.hearth.cloud.upstream;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.Random;
import org.junit.jupiter.api.Test;

class BackoffTest {

    private final Backoff backoff = new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(60));

    @Test
    void delaysDoubleFromTheFirstUpToTheMaximum() {
        Random random = new Random(7);
        for (int failures = 1; failures <= 12; failures++) {
            long step = Math.min(1000L << (failures - 1), 60_000L);
            long delay = backoff.delayAfter(failures, random).toMillis();
            assertThat(delay).isBetween(step / 2, step);
        }
    }

    @Test
    void hubsThatFailTogetherDoNotRetryTogether() {
        Random random = new Random(11);
        long first = backoff.delayAfter(6, random).toMillis();
        boolean spread = false;
        for (int i = 0; i < 20 && !spread; i++) {
            spread = backoff.delayAfter(6, random).toMillis() != first;
        }
        assertThat(spread).isTrue();
    }
}
