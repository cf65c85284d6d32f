package io.hearth.broker.routing;

import io.hearth.core.bus.Qos;
import java.util.Objects;

/**
 * One client's interest in a topic filter, with the MQTT 5 subscription options.
 *
 * @param group the share name of a {@code $share/group/filter} subscription, or null
 * @param retainHandling 0 send retained messages on subscribe, 1 only for a new subscription, 2 never
 * @param identifier the MQTT 5 subscription identifier, or 0 for none
 */
public record Subscription(String subscriberId, String filter, String group, Qos qos, boolean noLocal,
                           boolean retainAsPublished, int retainHandling, int identifier) {

    public Subscription {
        Objects.requireNonNull(subscriberId, "subscriberId");
        Objects.requireNonNull(filter, "filter");
        Objects.requireNonNull(qos, "qos");
        if (retainHandling < 0 || retainHandling > 2) {
            throw new IllegalArgumentException("retain handling must be 0, 1 or 2");
        }
    }

    /** A plain subscription with default options. */
    public static Subscription of(String subscriberId, String filter, Qos qos) {
        return new Subscription(subscriberId, filter, null, qos, false, false, 0, 0);
    }

    /** The key that identifies this subscription within its subscriber: the filter, with its share group. */
    public String key() {
        return group == null ? filter : "$share/" + group + "/" + filter;
    }
}
