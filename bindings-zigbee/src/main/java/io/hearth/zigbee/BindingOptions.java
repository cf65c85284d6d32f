package io.hearth.zigbee;

import io.hearth.zigbee.availability.AvailabilityTracker;
import io.hearth.zigbee.simulated.SimulatedCoordinator;
import java.time.Clock;
import java.time.Duration;

/**
 * The binding's timings and clock; the hub uses {@link #defaults()}, tests shorten them.
 *
 * @param checkInterval how often availability is checked
 * @param pollInterval how often attributes the device will not report are read
 * @param firstRetry the first wait before reconnecting to a lost coordinator; it doubles up to a minute
 */
public record BindingOptions(Clock clock, Duration checkInterval, Duration pollInterval, Duration firstRetry,
                             AvailabilityTracker.Timeouts timeouts, SimulatedCoordinator.Options simulation) {

    public static BindingOptions defaults() {
        return new BindingOptions(Clock.systemUTC(), Duration.ofSeconds(30), Duration.ofSeconds(60),
                Duration.ofSeconds(1), AvailabilityTracker.Timeouts.defaults(), SimulatedCoordinator.Options.defaults());
    }
}
