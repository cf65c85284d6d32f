package io.hearth.zigbee;

import io.hearth.zigbee.availability.AvailabilityTracker;
import io.hearth.zigbee.simulated.SimulatedCoordinator;
import java.time.Clock;
import java.time.Duration;

/** Binding options for tests: no clockwork in the simulated world, quick joins and retries. */
final class TestOptions {

    private TestOptions() {
    }

    static BindingOptions quiet(Clock clock) {
        return new BindingOptions(clock, Duration.ofHours(1), Duration.ofMillis(300), Duration.ofMillis(200),
                AvailabilityTracker.Timeouts.defaults(),
                new SimulatedCoordinator.Options(Duration.ZERO, Duration.ofMillis(300), 42));
    }

    static BindingOptions quiet() {
        return quiet(Clock.systemUTC());
    }
}
