package io.hearth.broker;

import io.hearth.broker.persistence.BrokerStore;
import io.hearth.broker.routing.AccessPolicy;
import io.hearth.broker.routing.PublisherFlow;
import io.hearth.broker.routing.RetainedMessages;
import io.hearth.broker.routing.RetainedQuota;
import io.hearth.broker.routing.Subscriber;
import io.hearth.broker.routing.Subscription;
import io.hearth.broker.routing.SubscriptionIndex;
import io.hearth.core.bus.Bus;
import io.hearth.core.bus.BusClient;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import io.hearth.core.config.MqttConfig;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The routing core: who is subscribed to what, the retained messages, and the delivery of each
 * published message to every matching subscriber. Network sessions and in-process clients go
 * through the same paths, so both see the same routing, retained and access rules.
 */
public final class Broker implements Bus {

    /** MQTT 5 reason code: not authorized. */
    public static final int NOT_AUTHORIZED = 0x87;
    /** MQTT 5 reason code: topic filter invalid. */
    public static final int TOPIC_FILTER_INVALID = 0x8F;
    /** MQTT 5 reason code: topic name invalid. */
    public static final int TOPIC_NAME_INVALID = 0x90;

    private static final Logger LOG = LoggerFactory.getLogger(Broker.class);

    private final SubscriptionIndex index = new SubscriptionIndex();
    private final RetainedMessages retained = new RetainedMessages();
    private final Map<String, Subscriber> subscribers = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> shareCursors = new ConcurrentHashMap<>();
    private final AtomicLong localClients = new AtomicLong();
    private final AccessPolicy access;
    private final BrokerStore store;
    private final BrokerCounters counters = new BrokerCounters();
    private final RetainedQuota retainedQuota;

    /** With the default retained quota per device. */
    public Broker(AccessPolicy access, BrokerStore store) {
        this(access, store, new RetainedQuota(MqttConfig.DEFAULT_MAX_RETAINED_PER_DEVICE,
                MqttConfig.DEFAULT_MAX_RETAINED_BYTES_PER_DEVICE));
    }

    public Broker(AccessPolicy access, BrokerStore store, RetainedQuota retainedQuota) {
        this.access = access;
        this.store = store;
        this.retainedQuota = retainedQuota;
    }

    public BrokerStore store() {
        return store;
    }

    /** Puts back the retained messages kept in the database. */
    public void restoreRetained(List<BusMessage> messages) {
        long now = System.nanoTime();
        messages.forEach(message -> retained.store(message, now));
    }

    public BrokerCounters counters() {
        return counters;
    }

    public int subscriptionCount() {
        return index.size();
    }

    public int retainedCount() {
        return retained.size();
    }

    /** Makes {@code subscriber} reachable for deliveries under its id, replacing an earlier one. */
    public void register(Subscriber subscriber) {
        subscribers.put(subscriber.id(), subscriber);
    }

    /** Forgets the subscriber and all the given subscriptions of it. */
    public void unregister(Subscriber subscriber, Iterable<Subscription> subscriptions) {
        for (Subscription subscription : subscriptions) {
            index.remove(subscription.subscriberId(), subscription.filter(), subscription.group());
        }
        subscribers.remove(subscriber.id(), subscriber);
    }

    /**
     * The outcome of a subscribe request.
     *
     * @param code the granted QoS (0 to 2), or {@link #NOT_AUTHORIZED}
     * @param isNew false when the subscription replaced one with the same filter
     */
    public record Granted(int code, boolean isNew) {

        public boolean granted() {
            return code <= 2;
        }
    }

    /** Adds a subscription if the identity may have it. Retained messages follow with {@link #sendRetained}. */
    public Granted subscribe(String identity, Subscription subscription) {
        if (!access.maySubscribe(identity, subscription.filter())) {
            return new Granted(NOT_AUTHORIZED, false);
        }
        return new Granted(subscription.qos().level(), index.add(subscription));
    }

    /** Sends a new subscription the retained messages its retain handling asks for (after its SUBACK). */
    public void sendRetained(Subscriber subscriber, Subscription subscription, boolean isNew) {
        boolean wanted = subscription.group() == null
                && (subscription.retainHandling() == 0 || (subscription.retainHandling() == 1 && isNew));
        if (wanted) {
            long now = System.nanoTime();
            List<Integer> ids = subscription.identifier() == 0 ? List.of() : List.of(subscription.identifier());
            retained.match(subscription.filter(), now, kept -> {
                BusMessage message = kept.current(now);
                if (!access.mayReceive(subscriber.identity(), message.topic())) {
                    // Rights may have narrowed since the message was retained, or a rule denies this topic.
                    return;
                }
                subscriber.deliver(message.withQos(message.qos().min(subscription.qos())).withRetain(true), ids);
            });
        }
    }

    public boolean unsubscribe(String subscriberId, String filter, String group) {
        return index.remove(subscriberId, filter, group);
    }

    public RetainedQuota retainedQuota() {
        return retainedQuota;
    }

    public AccessPolicy access() {
        return access;
    }

    /** True when {@code identity} may publish to {@code topic}. */
    public boolean mayPublish(String identity, String topic) {
        return access.mayPublish(identity, topic);
    }

    /**
     * Stores (if retained) and routes a message whose publisher was already authorized.
     *
     * @param publisherId the publishing subscriber's id, for No Local
     * @return completes when every copy that must survive a crash (retained message, messages for
     *     persistent sessions) is committed; a QoS 1/2 publisher is acknowledged then
     */
    public CompletableFuture<Void> publish(String publisherId, BusMessage message) {
        return publish(publisherId, message, PublisherFlow.UNPAUSED);
    }

    /** As {@link #publish(String, BusMessage)}, pausing the publisher through {@code flow} for subscribers that are behind. */
    public CompletableFuture<Void> publish(String publisherId, BusMessage message, PublisherFlow flow) {
        List<CompletableFuture<Void>> durable = new ArrayList<>();
        if (message.retain()) {
            retained.store(message, System.nanoTime());
            // $SYS figures are made afresh after a restart; storing them would only wear the disk.
            if (!message.topic().startsWith("$SYS/")) {
                durable.add(store.saveRetained(message));
            }
        }
        route(publisherId, message, durable, flow);
        return switch (durable.size()) {
            case 0 -> Subscriber.DELIVERED;
            case 1 -> durable.get(0);
            default -> CompletableFuture.allOf(durable.toArray(CompletableFuture[]::new));
        };
    }

    private void route(String publisherId, BusMessage message, List<CompletableFuture<Void>> durable,
                       PublisherFlow flow) {
        List<Subscription> found = new ArrayList<>(4);
        index.match(message.topic(), found::add);
        if (found.size() == 1 && found.get(0).group() == null) {
            // The common case, one subscription: no grouping by subscriber needed.
            Subscription only = found.get(0);
            if (!(only.noLocal() && only.subscriberId().equals(publisherId))) {
                Match match = new Match();
                match.add(only);
                deliver(only.subscriberId(), match, message, durable, flow);
            }
            return;
        }
        Map<String, Match> matches = new HashMap<>();
        Map<String, List<Subscription>> groups = new HashMap<>();
        found.forEach(subscription -> {
            if (subscription.group() != null) {
                groups.computeIfAbsent(subscription.key(), k -> new ArrayList<>()).add(subscription);
            } else if (!(subscription.noLocal() && subscription.subscriberId().equals(publisherId))) {
                matches.computeIfAbsent(subscription.subscriberId(), id -> new Match()).add(subscription);
            }
        });
        groups.forEach((key, members) -> {
            // One member of each share group gets the message, in turn.
            int start = Math.floorMod(shareCursors.computeIfAbsent(key, k -> new AtomicInteger()).getAndIncrement(),
                    members.size());
            Subscription chosen = members.get(start);
            matches.computeIfAbsent(chosen.subscriberId(), id -> new Match()).add(chosen);
        });
        matches.forEach((subscriberId, match) -> deliver(subscriberId, match, message, durable, flow));
    }

    private void deliver(String subscriberId, Match match, BusMessage message, List<CompletableFuture<Void>> durable,
                         PublisherFlow flow) {
        Subscriber subscriber = subscribers.get(subscriberId);
        if (subscriber == null) {
            return;
        }
        BusMessage out = message.withQos(message.qos().min(match.qos))
                .withRetain(match.retainAsPublished && message.retain());
        try {
            CompletableFuture<Void> delivered = subscriber.deliver(out, match.identifiers);
            if (!delivered.isDone() || delivered.isCompletedExceptionally()) {
                durable.add(delivered);
            }
            if (subscriber instanceof PublisherFlow.CongestedSubscriber behind && subscriber.isBehind()) {
                flow.pauseFor(behind);
            }
        } catch (RuntimeException e) {
            LOG.warn("Delivering {} to {} failed: {}", message.topic(), subscriberId, e.toString());
        }
    }

    /** The strongest of one subscriber's matching subscriptions, with all their identifiers. */
    private static final class Match {
        Qos qos = Qos.AT_MOST_ONCE;
        boolean retainAsPublished;
        List<Integer> identifiers = List.of();

        void add(Subscription subscription) {
            if (subscription.qos().level() > qos.level()) {
                qos = subscription.qos();
            }
            retainAsPublished |= subscription.retainAsPublished();
            if (subscription.identifier() != 0) {
                // Appended in place: copying on every match made a publish quadratic in the
                // number of one client's matching subscriptions.
                if (identifiers.isEmpty()) {
                    identifiers = new ArrayList<>();
                }
                identifiers.add(subscription.identifier());
            }
        }
    }

    @Override
    public BusClient connect(String identity) {
        // In-process clients are the hub's own modules: they act with every right.
        access.identities().module(identity);
        return new LocalClient(this, identity, "$local/" + identity + "/" + localClients.incrementAndGet());
    }
}
