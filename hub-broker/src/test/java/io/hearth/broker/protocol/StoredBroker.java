package io.hearth.broker.protocol;

import io.hearth.broker.Broker;
import io.hearth.broker.persistence.BrokerStore;
import io.hearth.core.store.Journal;
import io.hearth.broker.routing.AccessPolicy;
import io.hearth.core.config.AclRule;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;

/**
 * A broker whose tables live in an in-memory H2 database, migrated like the hub's, with a journal
 * that commits on the calling thread: for tests that drive connections on a single thread
 * (EmbeddedChannel) and check protocol handling rather than durability.
 */
final class StoredBroker implements AutoCloseable {

    final Broker broker;
    private final JdbcConnectionPool database;

    StoredBroker(List<AclRule> acl) {
        database = JdbcConnectionPool.create("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "test", "");
        Flyway.configure().dataSource(database).locations(BrokerStore.MIGRATIONS.location())
                .table(BrokerStore.MIGRATIONS.historyTable()).load().migrate();
        Journal journal = Journal.immediate("broker");
        journal.open(database);
        broker = new Broker(new AccessPolicy(acl), new BrokerStore(journal));
    }

    @Override
    public void close() {
        try (var connection = database.getConnection(); var statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        } finally {
            database.dispose();
        }
    }
}
