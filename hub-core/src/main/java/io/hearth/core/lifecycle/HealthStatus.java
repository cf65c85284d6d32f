package io.hearth.core.lifecycle;

/** The condition of one component, or of the hub as a whole. */
public enum HealthStatus {
    /** Working. */
    UP,
    /** Not started yet, or starting. */
    STARTING,
    /** Turned off by configuration; not a fault. */
    DISABLED,
    /** The hub runs but a non-essential part is down (an unplugged dongle, an unreachable cloud). */
    DEGRADED,
    /** Stopping. */
    STOPPING,
    /** Not working. */
    DOWN
}
