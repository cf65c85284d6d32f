package io.hearth.broker;

import io.hearth.broker.auth.BrokerIdentities;
import io.hearth.broker.persistence.BrokerStore;
import io.hearth.core.auth.Authenticator;
import java.util.Optional;
import io.hearth.core.store.Store;
import io.hearth.broker.routing.AccessPolicy;
import io.hearth.broker.routing.RetainedQuota;
import io.hearth.broker.session.SessionRegistry;
import io.hearth.core.config.HearthConfig;
import io.hearth.core.store.Migrations;
import io.micronaut.context.annotation.Factory;
import jakarta.inject.Singleton;

/**
 * The broker's shared state as beans: the routing core (which is also the hub's {@code Bus}), the
 * sessions, and the store that makes them durable.
 */
@Factory
final class BrokerBeans {

    /** The identity store is optional on the class path; without it no user name is accepted. */
    @Singleton
    Broker broker(HearthConfig config, BrokerStore store, Optional<Authenticator> authenticator) {
        BrokerIdentities identities = new BrokerIdentities(authenticator.orElse(null), config.mqtt().allowAnonymous());
        return new Broker(new AccessPolicy(config.mqtt().acl(), identities), store,
                new RetainedQuota(config.mqtt().maxRetainedPerDevice(), config.mqtt().maxRetainedBytesPerDevice()));
    }

    @Singleton
    BrokerStore brokerStore(Store store) {
        return new BrokerStore(store.journal());
    }

    @Singleton
    Migrations brokerMigrations() {
        return BrokerStore.MIGRATIONS;
    }

    @Singleton
    SessionRegistry sessions() {
        return new SessionRegistry();
    }
}
