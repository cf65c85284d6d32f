package io.hearth.broker.persistence;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import io.hearth.core.store.Journal;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class MessageRowsTest {

    private JdbcConnectionPool database;
    private final Journal journal = new Journal("broker-test");
    private BrokerStore store;

    @BeforeEach
    void openDatabase() {
        database = JdbcConnectionPool.create("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "test", "");
        Flyway.configure().dataSource(database).locations(BrokerStore.MIGRATIONS.location())
                .table(BrokerStore.MIGRATIONS.historyTable()).load().migrate();
        journal.open(database);
        store = new BrokerStore(journal);
    }

    @AfterEach
    void closeDatabase() throws SQLException {
        journal.close();
        try (Connection c = database.getConnection(); Statement s = c.createStatement()) {
            s.execute("SHUTDOWN");
        }
        database.dispose();
    }

    @Test
    void changesThatMeetInOneBatchLeaveWhatTheyWouldHaveLeftOneByOne() throws Exception {
        CountDownLatch hold = new CountDownLatch(1);
        // Keeps the journal busy, so the changes below wait for it together.
        journal.submit(c -> await(hold));
        long delivered = store.nextMessageId();
        long sent = store.nextMessageId();
        long received = store.nextMessageId();
        long queued = store.nextMessageId();
        List<CompletableFuture<Void>> inserts = List.of(
                store.saveMessage("lamp", delivered, message("a"), List.of()),
                store.saveMessage("lamp", sent, message("b"), List.of(7)),
                store.saveMessage("lamp", received, message("c"), List.of()),
                store.saveMessage("plug", queued, message("d"), List.of()));
        store.markSent("lamp", delivered, 1);
        store.deleteMessage("lamp", delivered);
        store.markSent("lamp", sent, 2);
        store.markSent("lamp", received, 3);
        store.markReleased("lamp", received);
        hold.countDown();
        CompletableFuture.allOf(inserts.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);

        assertThat(rows()).containsExactly(
                Map.entry(sent, "lamp b packet 2 released false"),
                Map.entry(received, "lamp c packet 3 released true"),
                Map.entry(queued, "plug d packet null released false"));
    }

    @Test
    void changesAfterTheInsertWasWrittenAreWrittenOnTheirOwn() throws Exception {
        long id = store.nextMessageId();
        store.saveMessage("lamp", id, message("a"), List.of()).get(5, TimeUnit.SECONDS);
        store.markSent("lamp", id, 9);
        store.markReleased("lamp", id);
        journal.submit(c -> { }).get(5, TimeUnit.SECONDS);
        assertThat(rows()).containsExactly(Map.entry(id, "lamp a packet 9 released true"));

        store.deleteMessage("lamp", id);
        journal.submit(c -> { }).get(5, TimeUnit.SECONDS);
        assertThat(rows()).isEmpty();
    }

    @Test
    void storedMessagesComeBackInOrderAndNewIdsFollowThem() throws Exception {
        for (String text : List.of("1", "2", "3")) {
            store.saveMessage("lamp", store.nextMessageId(), message(text), List.of());
        }
        journal.submit(c -> { }).get(5, TimeUnit.SECONDS);
        store.saveSession("lamp", "anonymous", 60).get(5, TimeUnit.SECONDS);

        BrokerStore reopened = new BrokerStore(journal);
        List<BrokerStore.StoredMessage> back = reopened.loadSessions(database).get(0).messages();
        assertThat(back).extracting(m -> m.message().payloadText()).containsExactly("1", "2", "3");
        assertThat(reopened.nextMessageId()).isGreaterThan(back.get(2).seq());
    }

    private static void await(CountDownLatch hold) {
        try {
            hold.await(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static BusMessage message(String text) {
        return BusMessage.of("t", text, Qos.AT_LEAST_ONCE, false);
    }

    private Map<Long, String> rows() throws SQLException {
        Map<Long, String> rows = new LinkedHashMap<>();
        try (Connection c = database.getConnection(); Statement s = c.createStatement();
             ResultSet r = s.executeQuery("SELECT id, client_id, payload, packet_id, released FROM broker_message ORDER BY id")) {
            while (r.next()) {
                rows.put(r.getLong(1), r.getString(2) + " " + new String(r.getBytes(3)) + " packet " + r.getObject(4)
                        + " released " + r.getBoolean(5));
            }
        }
        return rows;
    }
}
