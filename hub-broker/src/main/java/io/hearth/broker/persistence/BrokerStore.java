package io.hearth.broker.persistence;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.broker.routing.Subscription;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import io.hearth.core.bus.UserProperty;
import io.hearth.core.store.Journal;
import io.hearth.core.store.Migrations;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import javax.sql.DataSource;

/**
 * The broker's tables: persistent sessions with their subscriptions and undelivered QoS 1/2
 * messages, and retained messages. Writes go through the {@link Journal}; reads happen once, when
 * the broker starts.
 */
public final class BrokerStore {

    public static final Migrations MIGRATIONS = new Migrations("broker");
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Journal journal;
    private final MessageRows messages;
    /** Numbers queued and in-flight messages across all sessions; continues after the stored ones. */
    private final AtomicLong lastMessageId = new AtomicLong();

    public BrokerStore(Journal journal) {
        this.journal = journal;
        this.messages = new MessageRows(journal);
    }

    /** The id of a new queued message: unique in the hub, and higher than every earlier one. */
    public long nextMessageId() {
        return lastMessageId.incrementAndGet();
    }

    /** A persistent session as stored. */
    public record StoredSession(String clientId, String identity, long expirySeconds, List<Subscription> subscriptions,
                                List<StoredMessage> messages) {
    }

    /** An undelivered message of a session ({@code seq} is its id); {@code packetId} is 0 while it is still queued. */
    public record StoredMessage(long seq, int packetId, boolean released, BusMessage message, List<Integer> subscriptionIds) {
    }

    public CompletableFuture<Void> saveSession(String clientId, String identity, long expirySeconds) {
        return journal.submit(c -> execute(c, "MERGE INTO broker_session KEY (client_id) VALUES (?, ?, ?)",
                clientId, identity, expirySeconds));
    }

    public CompletableFuture<Void> deleteSession(String clientId) {
        return journal.submit(c -> {
            execute(c, "DELETE FROM broker_message WHERE client_id = ?", clientId);
            execute(c, "DELETE FROM broker_subscription WHERE client_id = ?", clientId);
            execute(c, "DELETE FROM broker_session WHERE client_id = ?", clientId);
        });
    }

    public CompletableFuture<Void> saveSubscription(Subscription s) {
        return journal.submit(c -> execute(c, "MERGE INTO broker_subscription KEY (client_id, share_group, filter) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?)", s.subscriberId(), s.group() == null ? "" : s.group(), s.filter(),
                s.qos().level(), s.noLocal(), s.retainAsPublished(), s.retainHandling(), s.identifier()));
    }

    public CompletableFuture<Void> deleteSubscription(String clientId, String group, String filter) {
        return journal.submit(c -> execute(c, "DELETE FROM broker_subscription WHERE client_id = ? AND share_group = ? "
                + "AND filter = ?", clientId, group == null ? "" : group, filter));
    }

    /** Stores a message for a session; {@code seq} from {@link #nextMessageId()}. Completes when committed. */
    public CompletableFuture<Void> saveMessage(String clientId, long seq, BusMessage m, List<Integer> subscriptionIds) {
        return messages.insert(seq, new MessageRows.Content(clientId, m, expiresAt(m), userProperties(m),
                joined(subscriptionIds)));
    }

    public void markSent(String clientId, long seq, int packetId) {
        messages.sent(seq, packetId);
    }

    public void markReleased(String clientId, long seq) {
        messages.released(seq);
    }

    public void deleteMessage(String clientId, long seq) {
        messages.delete(seq);
    }

    public CompletableFuture<Void> saveRetained(BusMessage m) {
        if (m.payload().length == 0) {
            return journal.submit(c -> execute(c, "DELETE FROM broker_retained WHERE topic = ?", m.topic()));
        }
        return journal.submit(c -> execute(c, "MERGE INTO broker_retained (topic, payload, qos, expires_at, content_type, "
                        + "response_topic, correlation_data, user_properties, payload_format) KEY (topic) "
                        + "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", m.topic(), m.payload(), m.qos().level(), expiresAt(m),
                m.contentType(), m.responseTopic(), m.correlationData(), userProperties(m), m.payloadFormat()));
    }

    /** Every stored retained message that has not expired. */
    public List<BusMessage> loadRetained(DataSource source) throws SQLException {
        List<BusMessage> retained = new ArrayList<>();
        try (Connection c = source.getConnection(); PreparedStatement s = c.prepareStatement(
                "SELECT topic, payload, qos, expires_at, content_type, response_topic, correlation_data, user_properties, "
                        + "payload_format FROM broker_retained"); ResultSet r = s.executeQuery()) {
            while (r.next()) {
                BusMessage message = message(r.getString(1), r.getBytes(2), r.getInt(3), true, nullableLong(r, 4),
                        r.getString(5), r.getString(6), r.getBytes(7), r.getString(8), nullableInt(r, 9));
                if (message != null) {
                    retained.add(message);
                }
            }
        }
        return retained;
    }

    /** Every stored session with its subscriptions and undelivered messages, oldest message first. */
    public List<StoredSession> loadSessions(DataSource source) throws SQLException {
        Map<String, StoredSession> sessions = new LinkedHashMap<>();
        try (Connection c = source.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("SELECT client_id, identity, expiry_seconds FROM broker_session");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    sessions.put(r.getString(1), new StoredSession(r.getString(1), r.getString(2), r.getLong(3),
                            new ArrayList<>(), new ArrayList<>()));
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT client_id, share_group, filter, qos, no_local, "
                    + "retain_as_published, retain_handling, identifier FROM broker_subscription");
                 ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    StoredSession session = sessions.get(r.getString(1));
                    if (session != null) {
                        String group = r.getString(2);
                        session.subscriptions().add(new Subscription(r.getString(1), r.getString(3),
                                group.isEmpty() ? null : group, Qos.of(r.getInt(4)), r.getBoolean(5), r.getBoolean(6),
                                r.getInt(7), r.getInt(8)));
                    }
                }
            }
            try (PreparedStatement s = c.prepareStatement("SELECT client_id, id, packet_id, released, topic, payload, qos, "
                    + "retain, expires_at, content_type, response_topic, correlation_data, user_properties, subscription_ids, "
                    + "payload_format FROM broker_message ORDER BY id"); ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    lastMessageId.accumulateAndGet(r.getLong(2), Math::max);
                    StoredSession session = sessions.get(r.getString(1));
                    BusMessage message = message(r.getString(5), r.getBytes(6), r.getInt(7), r.getBoolean(8),
                            nullableLong(r, 9), r.getString(10), r.getString(11), r.getBytes(12), r.getString(13),
                            nullableInt(r, 15));
                    if (session != null && (message != null || r.getInt(3) != 0)) {
                        session.messages().add(new StoredMessage(r.getLong(2), r.getInt(3), r.getBoolean(4),
                                message != null ? message : expiredPlaceholder(r.getString(5), r.getInt(7)),
                                split(r.getString(14))));
                    }
                }
            }
        }
        return List.copyOf(sessions.values());
    }

    /** An in-flight message that expired meanwhile still needs its packet id finished with the client. */
    private static BusMessage expiredPlaceholder(String topic, int qos) {
        return BusMessage.of(topic, new byte[0], Qos.of(qos), false);
    }

    private static BusMessage message(String topic, byte[] payload, int qos, boolean retain, Long expiresAt,
                                      String contentType, String responseTopic, byte[] correlation, String userProperties,
                                      Integer payloadFormat) throws SQLException {
        Long remaining = null;
        if (expiresAt != null) {
            remaining = (expiresAt - System.currentTimeMillis() + 999) / 1000;
            if (remaining <= 0) {
                return null;
            }
        }
        return new BusMessage(topic, payload, Qos.of(qos), retain, parseUserProperties(userProperties), remaining,
                contentType, responseTopic, correlation, payloadFormat);
    }

    private static Long expiresAt(BusMessage m) {
        return m.expirySeconds() == null ? null : System.currentTimeMillis() + m.expirySeconds() * 1000;
    }

    private static String userProperties(BusMessage m) {
        if (m.userProperties().isEmpty()) {
            return null;
        }
        List<String[]> pairs = m.userProperties().stream().map(p -> new String[] {p.name(), p.value()}).toList();
        try {
            return JSON.writeValueAsString(pairs);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    private static List<UserProperty> parseUserProperties(String json) throws SQLException {
        if (json == null) {
            return List.of();
        }
        try {
            List<List<String>> pairs = JSON.readValue(json, new TypeReference<>() { });
            return pairs.stream().map(p -> new UserProperty(p.get(0), p.get(1))).toList();
        } catch (JsonProcessingException e) {
            throw new SQLException("unreadable user properties: " + e.getOriginalMessage(), e);
        }
    }

    private static String joined(List<Integer> ids) {
        return ids.isEmpty() ? null : String.join(",", ids.stream().map(String::valueOf).toList());
    }

    private static List<Integer> split(String ids) {
        return ids == null ? List.of() : Arrays.stream(ids.split(",")).map(Integer::valueOf).toList();
    }

    private static Long nullableLong(ResultSet r, int column) throws SQLException {
        long value = r.getLong(column);
        return r.wasNull() ? null : value;
    }

    private static Integer nullableInt(ResultSet r, int column) throws SQLException {
        int value = r.getInt(column);
        return r.wasNull() ? null : value;
    }

    private static void execute(Connection c, String sql, Object... values) throws SQLException {
        try (PreparedStatement statement = c.prepareStatement(sql)) {
            for (int i = 0; i < values.length; i++) {
                Object value = values[i];
                if (value == null) {
                    statement.setNull(i + 1, Types.NULL);
                } else {
                    statement.setObject(i + 1, value);
                }
            }
            statement.executeUpdate();
        }
    }
}
