package io.hearth.broker.persistence;

import io.hearth.core.bus.BusMessage;
import io.hearth.core.store.Journal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The rows of {@code broker_message}: a persistent session's queued and in-flight QoS 1/2 messages.
 *
 * <p>Changes to one message that reach the journal before it wrote the first of them are merged
 * into that first change: a message sent and acknowledged while its insert still waits is never
 * written at all, and one sent while queued is inserted with its packet id instead of being
 * updated afterwards. What ends up in the database after each commit is exactly what the separate
 * changes would have left, so a crash sees the same state, and a publisher waiting for the insert
 * is still answered only when the batch that held it has committed.
 */
final class MessageRows {

    private static final String INSERT = "INSERT INTO broker_message (id, client_id, packet_id, released, topic, payload, "
            + "qos, retain, expires_at, content_type, response_topic, correlation_data, user_properties, subscription_ids, "
            + "payload_format) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)";
    private static final String UPDATE = "UPDATE broker_message SET packet_id = COALESCE(?, packet_id), "
            + "released = (? OR released) WHERE id = ?";
    private static final String DELETE = "DELETE FROM broker_message WHERE id = ?";

    /** A message as stored; {@code expiresAt} in epoch milliseconds. */
    record Content(String clientId, BusMessage message, Long expiresAt, String userProperties, String subscriptionIds) {
    }

    /** The changes to one row that the journal has not taken yet. Guarded by itself. */
    private static final class Pending {
        final long id;
        Content insert;
        Integer packetId;
        boolean released;
        boolean delete;
        boolean taken;

        Pending(long id) {
            this.id = id;
        }
    }

    private final Journal journal;
    private final Map<Long, Pending> waiting = new ConcurrentHashMap<>();
    /** The statements of the transaction being written, prepared once for all its rows. Guarded by this. */
    private Connection preparedOn;
    private final Map<String, PreparedStatement> prepared = new java.util.HashMap<>();

    MessageRows(Journal journal) {
        this.journal = journal;
    }

    CompletableFuture<Void> insert(long id, Content content) {
        Pending row = new Pending(id);
        row.insert = content;
        return submit(row);
    }

    void sent(long id, int packetId) {
        change(id, row -> {
            row.packetId = packetId;
            row.released = false;
        });
    }

    void released(long id) {
        change(id, row -> row.released = true);
    }

    void delete(long id) {
        change(id, row -> row.delete = true);
    }

    private interface Edit {
        void apply(Pending row);
    }

    /** Merges {@code edit} into the row's waiting change, or submits it as a change of its own. */
    private void change(long id, Edit edit) {
        Pending row = waiting.get(id);
        if (row != null) {
            synchronized (row) {
                if (!row.taken) {
                    edit.apply(row);
                    return;
                }
            }
        }
        Pending alone = new Pending(id);
        edit.apply(alone);
        submit(alone);
    }

    private CompletableFuture<Void> submit(Pending row) {
        // Registered before submitting: an immediate journal takes the row inside submit.
        waiting.put(row.id, row);
        return journal.submit(c -> write(c, row));
    }

    private synchronized void write(Connection c, Pending row) throws SQLException {
        Content insert;
        Integer packetId;
        boolean released;
        boolean delete;
        synchronized (row) {
            row.taken = true;
            insert = row.insert;
            packetId = row.packetId;
            released = row.released;
            delete = row.delete;
        }
        waiting.remove(row.id, row);
        if (insert != null) {
            if (!delete) {
                insert(c, row.id, insert, packetId, released);
            }
        } else if (delete) {
            PreparedStatement s = statement(c, DELETE);
            s.setLong(1, row.id);
            s.executeUpdate();
        } else {
            PreparedStatement s = statement(c, UPDATE);
            setNullable(s, 1, packetId);
            s.setBoolean(2, released);
            s.setLong(3, row.id);
            s.executeUpdate();
        }
    }

    private void insert(Connection c, long id, Content content, Integer packetId, boolean released)
            throws SQLException {
        BusMessage m = content.message();
        PreparedStatement s = statement(c, INSERT);
        s.setLong(1, id);
        s.setString(2, content.clientId());
        setNullable(s, 3, packetId);
        s.setBoolean(4, released);
        s.setString(5, m.topic());
        s.setBytes(6, m.payload());
        s.setInt(7, m.qos().level());
        s.setBoolean(8, m.retain());
        setNullable(s, 9, content.expiresAt());
        s.setString(10, m.contentType());
        s.setString(11, m.responseTopic());
        s.setBytes(12, m.correlationData());
        s.setString(13, content.userProperties());
        s.setString(14, content.subscriptionIds());
        setNullable(s, 15, m.payloadFormat());
        s.executeUpdate();
    }

    /**
     * {@code sql} prepared on {@code c}. The journal hands out one connection per transaction, so
     * statements are kept until a row arrives on another connection; those of an earlier
     * transaction are closed then.
     */
    private PreparedStatement statement(Connection c, String sql) throws SQLException {
        if (c != preparedOn) {
            for (PreparedStatement old : prepared.values()) {
                try {
                    old.close();
                } catch (SQLException alreadyClosed) {
                    // closed with its connection
                }
            }
            prepared.clear();
            preparedOn = c;
        }
        PreparedStatement statement = prepared.get(sql);
        if (statement == null || statement.isClosed()) {
            statement = c.prepareStatement(sql);
            prepared.put(sql, statement);
        }
        return statement;
    }

    private static void setNullable(PreparedStatement s, int index, Number value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.NULL);
        } else {
            s.setObject(index, value);
        }
    }

}
