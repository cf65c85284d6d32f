package io.hearth.broker;

import io.hearth.broker.protocol.SharedFilter;
import io.hearth.broker.routing.Subscriber;
import io.hearth.broker.routing.Subscription;
import io.hearth.core.bus.BusClient;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.BusRefusedException;
import io.hearth.core.bus.BusSubscription;
import io.hearth.core.bus.MessageHandler;
import io.hearth.core.bus.Qos;
import io.hearth.core.bus.Topics;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An in-process client of the {@link Broker}: no socket, no encoding. Each subscription gets an
 * internal subscription identifier so a delivery reaches exactly the handlers whose filters matched.
 */
final class LocalClient implements BusClient, Subscriber {

    private final Broker broker;
    private final String identity;
    private final String id;
    private final AtomicInteger nextIdentifier = new AtomicInteger();
    private final Map<Integer, LocalSubscription> subscriptions = new ConcurrentHashMap<>();

    LocalClient(Broker broker, String identity, String id) {
        this.broker = broker;
        this.identity = identity;
        this.id = id;
        broker.register(this);
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public String id() {
        return id;
    }

    @Override
    public CompletionStage<Void> publish(BusMessage message) {
        String problem = Topics.nameProblem(message.topic());
        if (problem != null) {
            return CompletableFuture.failedFuture(new BusRefusedException(Broker.TOPIC_NAME_INVALID, problem));
        }
        if (!broker.mayPublish(identity, message.topic())) {
            return CompletableFuture.failedFuture(new BusRefusedException(Broker.NOT_AUTHORIZED,
                    identity + " may not publish to " + message.topic()));
        }
        return broker.publish(id, message);
    }

    @Override
    public CompletionStage<BusSubscription> subscribe(String filter, Qos qos, MessageHandler handler) {
        SharedFilter parsed = SharedFilter.parse(filter);
        if (parsed.problem() != null) {
            return CompletableFuture.failedFuture(new BusRefusedException(Broker.TOPIC_FILTER_INVALID, parsed.problem()));
        }
        int identifier = nextIdentifier.incrementAndGet();
        Subscription subscription = new Subscription(id, parsed.filter(), parsed.group(), qos, false, false, 0, identifier);
        LocalSubscription local = new LocalSubscription(subscription, handler);
        subscriptions.put(identifier, local);
        Broker.Granted granted = broker.subscribe(identity, subscription);
        if (!granted.granted()) {
            subscriptions.remove(identifier);
            return CompletableFuture.failedFuture(new BusRefusedException(granted.code(),
                    identity + " may not subscribe to " + filter));
        }
        broker.sendRetained(this, subscription, granted.isNew());
        return CompletableFuture.completedFuture(local);
    }

    @Override
    public CompletableFuture<Void> deliver(BusMessage message, List<Integer> subscriptionIds) {
        for (Integer identifier : subscriptionIds) {
            LocalSubscription subscription = subscriptions.get(identifier);
            if (subscription != null) {
                subscription.handler.onMessage(message);
            }
        }
        return DELIVERED;
    }

    @Override
    public void close() {
        broker.unregister(this, subscriptions.values().stream().map(s -> s.subscription).toList());
        subscriptions.clear();
    }

    private final class LocalSubscription implements BusSubscription {
        final Subscription subscription;
        final MessageHandler handler;

        LocalSubscription(Subscription subscription, MessageHandler handler) {
            this.subscription = subscription;
            this.handler = handler;
        }

        @Override
        public String filter() {
            return subscription.key();
        }

        @Override
        public Qos grantedQos() {
            return subscription.qos();
        }

        @Override
        public void close() {
            if (subscriptions.remove(subscription.identifier()) != null) {
                broker.unsubscribe(id, subscription.filter(), subscription.group());
            }
        }
    }
}
