package io.hearth.core.lifecycle;

import java.util.Map;

/**
 * The hub's health as {@code GET /api/v1/health} shows it.
 *
 * @param uptimeSeconds seconds since the process started
 */
public record HealthReport(HealthStatus status, String version, long uptimeSeconds, Map<String, Health> components) {

    /** True when the hub serves requests: all essential components are up. */
    public boolean ready() {
        return status == HealthStatus.UP || status == HealthStatus.DEGRADED;
    }
}
