package io.hearth.broker.routing;

import io.hearth.core.bus.BusMessage;
import java.util.List;

/** Whoever holds subscriptions: a network session or an in-process bus client. */
public interface Subscriber {

    /** The client id (network) or identity (in-process) the subscriptions belong to. */
    String id();

    /**
     * Takes a message the broker routed here, already at the granted QoS and with the retain flag
     * as this subscriber must see it.
     *
     * @param subscriptionIds the MQTT 5 identifiers of the matching subscriptions
     */
    void deliver(BusMessage message, List<Integer> subscriptionIds);
}
