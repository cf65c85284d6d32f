package io.hearth.broker.session;

import io.hearth.broker.BrokerCounters;
import io.hearth.broker.persistence.BrokerStore;
import io.hearth.broker.routing.PublisherFlow;
import io.hearth.broker.routing.Subscriber;
import io.hearth.core.config.MqttConfig;
import io.hearth.broker.routing.Subscription;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The state MQTT keeps for one client id: its subscriptions, the QoS 1/2 messages sent but not yet
 * acknowledged, and the messages waiting for the client's receive window or for it to come back.
 * A session outlives its connection for the Session Expiry Interval; while that is above zero,
 * every change is also written to the database, so the session survives a restart or a crash.
 */
public final class Session implements Subscriber, PublisherFlow.CongestedSubscriber {

    /** Queued messages at which an online session counts as behind and its publishers are paused. */
    static final int BEHIND = 1_000;
    /** ... and at which they are let go again. */
    static final int CAUGHT_UP = 250;

    private final String clientId;
    private final String identity;
    private final BrokerCounters counters;
    private final BrokerStore store;
    private final int maxQueued;
    /** Bytes waiting on the connection beyond which QoS 0 messages to it are dropped. */
    private final long maxQos0Backlog;
    private final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();
    private final LinkedHashMap<Integer, InFlight> inFlight = new LinkedHashMap<>();
    private final ArrayDeque<Queued> queue = new ArrayDeque<>();
    private Outbound out;
    private int sendWindow = 65_535;
    private int lastPacketId;
    private volatile long expirySeconds;
    private volatile long offlineSinceNanos = System.nanoTime();
    private final List<Runnable> waitingPublishers = new java.util.ArrayList<>();

    /** A message sent under {@code packetId} and not yet acknowledged; {@code released} once PUBREC came. */
    private record InFlight(long seq, BusMessage message, List<Integer> subscriptionIds, boolean released) {
    }

    private record Queued(long seq, BusMessage message, List<Integer> subscriptionIds, long queuedNanos) {
    }

    public Session(String clientId, String identity, BrokerCounters counters, BrokerStore store, MqttConfig limits) {
        this.clientId = clientId;
        this.identity = identity;
        this.counters = counters;
        this.store = store;
        this.maxQueued = limits.maxQueuedMessages();
        this.maxQos0Backlog = limits.maxQos0Backlog();
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

    public long expirySeconds() {
        return expirySeconds;
    }

    /** True when the session is kept beyond its connection, and so in the database. */
    public boolean persistent() {
        return expirySeconds > 0;
    }

    /**
     * Sets the Session Expiry Interval, storing or forgetting the session as it becomes persistent
     * or not. The returned stage completes when that is committed.
     */
    public synchronized CompletableFuture<Void> expirySeconds(long seconds) {
        boolean was = persistent();
        expirySeconds = seconds;
        if (persistent()) {
            CompletableFuture<Void> saved = store.saveSession(clientId, identity, seconds);
            if (!was) {
                subscriptions.values().forEach(store::saveSubscription);
                inFlight.forEach((packetId, f) -> {
                    store.saveMessage(clientId, f.seq(), f.message(), f.subscriptionIds());
                    // Kept with its packet id, so it is sent again under it after a restart.
                    store.markSent(clientId, f.seq(), packetId);
                    if (f.released()) {
                        store.markReleased(clientId, f.seq());
                    }
                });
                queue.forEach(q -> store.saveMessage(clientId, q.seq(), q.message(), q.subscriptionIds()));
            }
            return saved;
        }
        return was ? store.deleteSession(clientId) : DELIVERED;
    }

    /** Sets the expiry of a session read back from the database, without writing it again. */
    public void restoreExpiry(long seconds) {
        expirySeconds = seconds;
    }

    /** Records a subscription (the caller has added it to the index); completes when it is stored. */
    public CompletableFuture<Void> subscribed(Subscription subscription) {
        subscriptions.put(subscription.key(), subscription);
        return persistent() ? store.saveSubscription(subscription) : DELIVERED;
    }

    /** Forgets a subscription; completes when that is stored. */
    public CompletableFuture<Void> unsubscribed(String key, String group, String filter) {
        boolean had = subscriptions.remove(key) != null;
        return had && persistent() ? store.deleteSubscription(clientId, group, filter) : DELIVERED;
    }

    /** Removes the session from the database; it is being discarded. */
    public void forget() {
        if (persistent()) {
            store.deleteSession(clientId);
        }
    }

    /** Puts back the undelivered messages stored for this session, as they were. */
    public synchronized void restore(List<BrokerStore.StoredMessage> messages) {
        long now = System.nanoTime();
        for (BrokerStore.StoredMessage stored : messages) {
            if (stored.packetId() != 0) {
                inFlight.put(stored.packetId(), new InFlight(stored.seq(), stored.message(), stored.subscriptionIds(),
                        stored.released()));
                lastPacketId = Math.max(lastPacketId, stored.packetId());
            } else {
                queue.add(new Queued(stored.seq(), stored.message(), stored.subscriptionIds(), now));
            }
        }
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
            if (flight.released()) {
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
            // An absent client is bounded by its queue quota, not by slowing everyone else.
            releasePublishers();
        }
    }

    /** Behind: QoS 1/2 messages pile up, or the connection's send buffer is full. */
    @Override
    public synchronized boolean isBehind() {
        return out != null && (queue.size() >= BEHIND || !out.writable());
    }

    @Override
    public synchronized void whenCaughtUp(Runnable resume) {
        if (isBehind()) {
            waitingPublishers.add(resume);
        } else {
            resume.run();
        }
    }

    /** The client's connection can take more again. */
    public synchronized void resume() {
        drain();
    }

    private void releasePublishers() {
        if (!waitingPublishers.isEmpty()) {
            List<Runnable> resumes = List.copyOf(waitingPublishers);
            waitingPublishers.clear();
            resumes.forEach(Runnable::run);
        }
    }

    @Override
    public synchronized CompletableFuture<Void> deliver(BusMessage message, List<Integer> subscriptionIds) {
        if (message.qos() == Qos.AT_MOST_ONCE) {
            if (out == null) {
                counters.droppedQos0Offline();
            } else if (out.unsentBytes() > maxQos0Backlog) {
                // QoS 0 may be lost, but only when the client is this far behind even though its
                // publishers have been paused.
                counters.droppedQos0Slow();
            } else {
                out.publish(0, message, subscriptionIds, false);
            }
            return DELIVERED;
        }
        boolean sendNow = canSend() && queue.isEmpty();
        if (!sendNow && queue.size() >= maxQueued) {
            counters.droppedQueueFull();
            return DELIVERED;
        }
        long seq = store.nextMessageId();
        CompletableFuture<Void> stored = persistent() ? store.saveMessage(clientId, seq, message, subscriptionIds)
                : DELIVERED;
        if (sendNow) {
            send(seq, message, subscriptionIds);
        } else {
            queue.add(new Queued(seq, message, subscriptionIds, System.nanoTime()));
        }
        return stored;
    }

    /** PUBACK for QoS 1 or PUBCOMP for QoS 2: the message is done. False when the id was unknown. */
    public synchronized boolean completed(int packetId) {
        InFlight done = inFlight.remove(packetId);
        if (done == null) {
            return false;
        }
        if (persistent()) {
            store.deleteMessage(clientId, done.seq());
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
        inFlight.put(packetId, new InFlight(flight.seq(), flight.message(), flight.subscriptionIds(), true));
        if (persistent()) {
            store.markReleased(clientId, flight.seq());
        }
        if (out != null) {
            out.release(packetId);
        }
        return true;
    }

    /** QoS 1 and 2 messages sent and not yet acknowledged, plus those waiting to be sent. */
    public synchronized int pending() {
        return inFlight.size() + queue.size();
    }

    /** Connected, inside the client's receive window, and its connection's send buffer has room. */
    private boolean canSend() {
        return out != null && inFlight.size() < sendWindow && out.writable();
    }

    private void drain() {
        while (canSend() && !queue.isEmpty()) {
            Queued next = queue.poll();
            BusMessage message = withRemainingExpiry(next);
            if (message == null) {
                counters.droppedExpired();
                if (persistent()) {
                    store.deleteMessage(clientId, next.seq());
                }
            } else {
                send(next.seq(), message, next.subscriptionIds());
            }
        }
        if (queue.size() <= CAUGHT_UP && (out == null || out.writable())) {
            releasePublishers();
        }
    }

    private void send(long seq, BusMessage message, List<Integer> subscriptionIds) {
        int packetId = nextPacketId();
        inFlight.put(packetId, new InFlight(seq, message, subscriptionIds, false));
        if (persistent()) {
            store.markSent(clientId, seq, packetId);
        }
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
        return message.withExpirySeconds(left);
    }

    private int nextPacketId() {
        do {
            lastPacketId = lastPacketId == 65_535 ? 1 : lastPacketId + 1;
        } while (inFlight.containsKey(lastPacketId));
        return lastPacketId;
    }
}
