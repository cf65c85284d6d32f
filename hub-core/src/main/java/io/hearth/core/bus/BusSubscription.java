package io.hearth.core.bus;

/** A live subscription; closing it unsubscribes. */
public interface BusSubscription extends AutoCloseable {

    String filter();

    /** The QoS the broker granted, at most the one asked for. */
    Qos grantedQos();

    @Override
    void close();
}
