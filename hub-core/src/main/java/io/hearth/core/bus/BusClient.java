package io.hearth.core.bus;

import java.util.concurrent.CompletionStage;

/**
 * An in-process MQTT client. It is routed and authorized exactly like a network client with the
 * same identity, so a module can do nothing over the bus that an external device could not.
 */
public interface BusClient extends AutoCloseable {

    /** The identity the broker authorizes this client as. */
    String identity();

    /**
     * Publishes a message. The stage completes once the broker has taken responsibility for it
     * (for QoS 1 and 2: routed and, where promised, persisted), or fails with {@link BusRefusedException}.
     */
    CompletionStage<Void> publish(BusMessage message);

    /**
     * Subscribes to a topic filter (wildcards {@code +} and {@code #}; {@code $share/group/filter} for
     * shared subscriptions). Retained messages matching the filter are delivered first.
     */
    CompletionStage<BusSubscription> subscribe(String filter, Qos qos, MessageHandler handler);

    /** Ends all of this client's subscriptions. */
    @Override
    void close();
}
