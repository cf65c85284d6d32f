package io.hearth.broker;

import io.hearth.broker.routing.AccessPolicy;
import io.hearth.broker.session.SessionRegistry;
import io.hearth.core.config.HearthConfig;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/** The broker's shared state as beans: the routing core (which is also the hub's {@code Bus}) and the sessions. */
@Factory
final class BrokerBeans {

    @Singleton
    Broker broker(HearthConfig config) {
        return new Broker(new AccessPolicy(config.mqtt().acl()));
    }

    @Singleton
    SessionRegistry sessions() {
        return new SessionRegistry();
    }
}
