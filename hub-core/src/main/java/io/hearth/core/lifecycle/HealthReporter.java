package io.hearth.core.lifecycle;

/** Tells the hub's current health; implemented by whatever runs the lifecycle. */
public interface HealthReporter {

    HealthReport report();
}
