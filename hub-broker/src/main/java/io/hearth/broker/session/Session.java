package io.hearth.broker.session;

import io.hearth.broker.BrokerCounters;
import io.hearth.broker.routing.Subscriber;
import io.hearth.broker.routing.Subscription;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state MQTT keeps for one client id: its subscriptions, the QoS 1/2 messages sent but not yet
 * acknowledged, and the messages waiting for the client's receive window or for it to come back.
 * A session outlives its connection for the Session Expiry Interval.
 */
public final class Session implements Subscriber {

    private final String clientId;
    private final String identity;
    private final BrokerCounters counters;
    private final int maxQueued;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final LinkedHashMap<Integer, InFlight> inFlight = new LinkedHashMap<>();
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private Outbound out;
    private int sendWindow = 65_535;
    private int lastPacketId;
    private volatile long expirySeconds;
    private volatile long offlineSinceNanos;

    private record InFlight(BusMessage message, List<Integer> subscriptionIds, boolean received) {
    }

    private record Queued(BusMessage message, List<Integer> subscriptionIds, long queuedNanos) {
    }

    public Session(String clientId, String identity, BrokerCounters counters, int maxQueued) {
        this.clientId = clientId;
        this.identity = identity;
        this.counters = counters;
        this.maxQueued = maxQueued;
    }

    @Override
    public String id() {
        return clientId;
    }

    public String identity() {
        return identity;
    }

    public Map<String, Subscription> subscriptions() {
        return subscriptions;
    }

    public Collection<Subscription> subscriptionList() {
        return List.copyOf(subscriptions.values());
    }

    public void expirySeconds(long seconds) {
        expirySeconds = seconds;
    }

    public long expirySeconds() {
        return expirySeconds;
    }

    /** True when the client is gone and its session expiry has passed. */
    public synchronized boolean expired(long nowNanos) {
        return out == null && nowNanos - offlineSinceNanos >= expirySeconds * 1_000_000_000L;
    }

    /** Connects the session to a client; unacknowledged messages are sent again, marked duplicate. */
    public synchronized void attach(Outbound outbound, int clientReceiveMaximum) {
        out = outbound;
        sendWindow = clientReceiveMaximum;
        inFlight.forEach((packetId, flight) -> {
            if (flight.received()) {
                outbound.release(packetId);
            } else {
                outbound.publish(packetId, flight.message(), flight.subscriptionIds(), true);
            }
        });
        drain();
    }

    /** The connection currently attached, or null while the client is away. */
    public synchronized Outbound outbound() {
        return out;
    }

    /** The client went away; the session keeps collecting QoS 1/2 messages until it expires. */
    public synchronized void detach(Outbound outbound) {
        if (out == outbound) {
            out = null;
            offlineSinceNanos = System.nanoTime();
        }
    }

    @Override
    public synchronized void deliver(BusMessage message, List<Integer> subscriptionIds) {
        if (message.qos() == Qos.AT_MOST_ONCE) {
            if (out != null) {
                out.publish(0, message, subscriptionIds, false);
            } else {
                counters.droppedQos0Offline();
            }
            return;
        }
        if (out != null && inFlight.size() < sendWindow && queue.isEmpty()) {
            send(message, subscriptionIds);
        } else if (queue.size() < maxQueued) {
            queue.add(new Queued(message, subscriptionIds, System.nanoTime()));
        } else {
            counters.droppedQueueFull();
        }
    }

    /** PUBACK for QoS 1 or PUBCOMP for QoS 2: the message is done. False when the id was unknown. */
    public synchronized boolean completed(int packetId) {
        if (inFlight.remove(packetId) == null) {
            return false;
        }
        drain();
        return true;
    }

    /** PUBREC for QoS 2: answer with PUBREL. False when the id was unknown. */
    public synchronized boolean received(int packetId) {
        InFlight flight = inFlight.get(packetId);
        if (flight == null) {
            return false;
        }
        inFlight.put(packetId, new InFlight(flight.message(), flight.subscriptionIds(), true));
        if (out != null) {
            out.release(packetId);
        }
        return true;
    }

    /** QoS 1 and 2 messages sent and not yet acknowledged, plus those waiting to be sent. */
    public synchronized int pending() {
        return inFlight.size() + queue.size();
    }

    private void drain() {
        while (out != null && inFlight.size() < sendWindow && !queue.isEmpty()) {
            Queued next = queue.poll();
            BusMessage message = withRemainingExpiry(next);
            if (message == null) {
                counters.droppedExpired();
            } else {
                send(message, next.subscriptionIds());
            }
        }
    }

    private void send(BusMessage message, List<Integer> subscriptionIds) {
        int packetId = nextPacketId();
        inFlight.put(packetId, new InFlight(message, subscriptionIds, false));
        out.publish(packetId, message, subscriptionIds, false);
    }

    /** The queued message with its expiry reduced by the time it waited; null when it expired. */
    private static BusMessage withRemainingExpiry(Queued queued) {
        BusMessage message = queued.message();
        if (message.expirySeconds() == null) {
            return message;
        }
        long waited = (System.nanoTime() - queued.queuedNanos()) / 1_000_000_000L;
        long left = message.expirySeconds() - waited;
        if (left <= 0) {
            return null;
        }
        return new BusMessage(message.topic(), message.payload(), message.qos(), message.retain(),
                message.userProperties(), left, message.contentType(), message.responseTopic(),
                message.correlationData());
    }

    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
        } while (inFlight.containsKey(lastPacketId));
        return lastPacketId;
    }
}
