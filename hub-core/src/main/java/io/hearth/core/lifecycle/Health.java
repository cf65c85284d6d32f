package io.hearth.core.lifecycle;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.Map;
import java.util.Objects;

/**
 * What one component says about itself.
 *
 * @param message for anything but UP: what is wrong and what the homeowner can do, in plain words
 * @param details figures worth showing (sizes, counts, addresses)
 */
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Health(HealthStatus status, String message, Map<String, Object> details) {

    public Health {
        Objects.requireNonNull(status, "status");
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    public static Health up(Map<String, Object> details) {
        return new Health(HealthStatus.UP, null, details);
    }

    public static Health starting() {
        return new Health(HealthStatus.STARTING, null, Map.of());
    }

    public static Health disabled(String why) {
        return new Health(HealthStatus.DISABLED, why, Map.of());
    }

    public static Health down(String why) {
        return new Health(HealthStatus.DOWN, why, Map.of());
    }
}
