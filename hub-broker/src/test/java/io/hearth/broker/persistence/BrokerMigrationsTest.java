package io.hearth.broker.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class BrokerMigrationsTest {

    private final JdbcConnectionPool database =
            JdbcConnectionPool.create("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "test", "");

    @AfterEach
    void close() throws SQLException {
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
        database.dispose();
    }

    private Flyway upTo(String version) {
        return Flyway.configure().dataSource(database).locations(BrokerStore.MIGRATIONS.location())
                .table(BrokerStore.MIGRATIONS.historyTable()).target(version).load();
    }

    @Test
    void messagesKeptPerSessionGetOneIdEachInTheirSessionsOrder() throws Exception {
        upTo("2").migrate();
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            // Two sessions numbered their messages from 1 each; the second was in flight as packet 5.
            s.execute("INSERT INTO broker_message (client_id, seq, topic, payload, qos, retain, payload_format) VALUES "
                    + "('plug', 1, 't', X'70', 1, FALSE, NULL), ('lamp', 2, 't', X'6c32', 1, FALSE, 1), "
                    + "('lamp', 1, 't', X'6c31', 1, FALSE, NULL)");
            s.execute("UPDATE broker_message SET packet_id = 5, released = TRUE WHERE client_id = 'lamp' AND seq = 2");
        }
        upTo("latest").migrate();

        List<String> rows = new ArrayList<>();
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id, client_id, payload, packet_id, released, payload_format "
                     + "FROM broker_message ORDER BY id")) {
            while (r.next()) {
                rows.add(r.getLong(1) + " " + r.getString(2) + " " + new String(r.getBytes(3)) + " " + r.getObject(4)
                        + " " + r.getBoolean(5) + " " + r.getObject(6));
            }
        }
        assertThat(rows).containsExactly("1 lamp l1 null false null", "2 lamp l2 5 true 1", "3 plug p null false null");
    }
}
