package io.hearth.broker.routing;

import io.hearth.core.bus.BusMessage;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Whoever holds subscriptions: a network session or an in-process bus client. */
public interface Subscriber {

    /** The client id (network) or identity (in-process) the subscriptions belong to. */
    String id();

    /** The name of the identity the subscriber acts as, whose rights its deliveries follow. */
    String identity();

    /**
     * Takes a message the broker routed here, already at the granted QoS and with the retain flag
     * as this subscriber must see it.
     *
     * @param subscriptionIds the MQTT 5 identifiers of the matching subscriptions
     * @return completes once the message is as safe as the subscriber promises: stored, for a
     *     persistent session; at once otherwise
     */
    CompletableFuture<Void> deliver(BusMessage message, List<Integer> subscriptionIds);

    CompletableFuture<Void> DELIVERED = CompletableFuture.completedFuture(null);

    /** True when this subscriber is connected but falling behind, so its publishers should wait. */
    default boolean isBehind() {
        return false;
    }
}
