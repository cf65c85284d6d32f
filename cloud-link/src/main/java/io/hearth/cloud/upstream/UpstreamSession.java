package io.hearth.cloud.upstream;

import java.util.concurrent.CompletableFuture;

/**
 * One established connection to the cloud, whatever MQTT version it speaks. A session ends with its
 * connection; the next connection is a new session.
 */
public interface UpstreamSession {

    /** {@code 5} or {@code 3} (for MQTT 3.1.1). */
    int protocolVersion();

    /**
     * Publishes at QoS 1; the future completes when the cloud acknowledged it (PUBACK), and fails
     * when the cloud refused it or the connection was lost first.
     */
    CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain);

    /**
     * Subscribes at QoS 1. Messages arrive through {@link UpstreamConnection.Events#received}, which
     * also takes what a persistent session had queued before this session subscribed again.
     */
    CompletableFuture<Void> subscribe(String filter);
}
