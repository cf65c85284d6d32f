package io.hearth.zigbee;

import io.hearth.zigbee.availability.AvailabilityTracker;
import io.hearth.zigbee.simulated.SimulatedCoordinator;
import java.time.Clock;
import java.time.Duration;

/** Binding options for tests: no clockwork in the simulated world, quick joins and retries. */
final class TestOptions {

    private TestOptions() {
    }

    /** Nothing happens unless the test makes it happen: no polling either, so silence means silence. */
    static BindingOptions quiet(Clock clock) {
        return new BindingOptions(clock, Duration.ofHours(1), Duration.ofHours(1), Duration.ofMillis(200),
                AvailabilityTracker.Timeouts.defaults(),
                new SimulatedCoordinator.Options(Duration.ZERO, Duration.ofMillis(300), 42));
    }

    /** As {@link #quiet(Clock)}, with attributes the devices refuse to report polled every 300 ms. */
    static BindingOptions quiet() {
        return new BindingOptions(Clock.systemUTC(), Duration.ofHours(1), Duration.ofMillis(300),
                Duration.ofMillis(200), AvailabilityTracker.Timeouts.defaults(),
                new SimulatedCoordinator.Options(Duration.ZERO, Duration.ofMillis(300), 42));
    }
}
