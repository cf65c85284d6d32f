package io.hearth.cloud.outbox;

import io.hearth.core.store.Journal;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.function.UnaryOperator;
import javax.sql.DataSource;

/**
 * Changes on their way to the cloud ({@code cloud_outbox}), merged by key so an outage of any length
 * costs at most one entry per key. Every change goes through it, online or not: an entry is written
 * before it is sent and deleted only once the cloud acknowledged it, so a crash or a lost connection
 * at any point leads to a resend, never to a gap. Held in memory as well, so sending never waits for
 * the database.
 */
public final class Outbox {

    private final Journal journal;
    private final int limit;
    private final Map<String, OutboxEntry> latest = new HashMap<>();
    private final TreeMap<Long, OutboxEntry> waiting = new TreeMap<>();
    private final Map<Long, OutboxEntry> inFlight = new HashMap<>();
    private long nextSeq = 1;
    private long overflow;
    private long delivered;
    private long refused;
    private String lastRefusal;
    private Runnable onWaiting = () -> { };

    public Outbox(Journal journal, int limit) {
        this.journal = journal;
        this.limit = limit;
    }

    /** Reads what was still waiting when the hub last stopped. */
    public synchronized void load(DataSource dataSource) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT entry_key, seq, topic, payload FROM cloud_outbox ORDER BY seq");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                OutboxEntry entry = new OutboxEntry(rows.getString(1), rows.getLong(2), rows.getString(3),
                        rows.getBytes(4));
                latest.put(entry.key(), entry);
                waiting.put(entry.seq(), entry);
                nextSeq = Math.max(nextSeq, entry.seq() + 1);
            }
        }
    }

    /** Run whenever entries become ready to send (called outside the outbox's lock). */
    public synchronized void onWaiting(Runnable listener) {
        onWaiting = listener;
    }

    /**
     * Queues the latest message for {@code key}, replacing a queued one. {@code payload} receives the
     * queued entry's payload (or null) so the caller can fold it in, e.g. keep its {@code previous}.
     * Returns false, and counts the change, when a new key would exceed the limit.
     */
    public boolean put(String key, String topic, UnaryOperator<byte[]> payload) {
        synchronized (this) {
            OutboxEntry queued = latest.get(key);
            if (queued == null && latest.size() >= limit) {
                overflow++;
                return false;
            }
            boolean stillQueued = queued != null && queued.topic().equals(topic) && waiting.containsKey(queued.seq());
            OutboxEntry entry = new OutboxEntry(key, nextSeq++, topic, payload.apply(stillQueued ? queued.payload() : null));
            if (queued != null) {
                waiting.remove(queued.seq());
            }
            latest.put(key, entry);
            waiting.put(entry.seq(), entry);
            // Submitted under the lock, so the journal writes a key's rows in the order they were made.
            journal.submit(connection -> write(connection, entry));
        }
        signal();
        return true;
    }

    /** Drops whatever is queued for {@code key} (a device hidden from the cloud). */
    public void remove(String key) {
        synchronized (this) {
            OutboxEntry queued = latest.remove(key);
            if (queued == null) {
                return;
            }
            waiting.remove(queued.seq());
            journal.submit(connection -> delete(connection, key, null));
        }
    }

    /** Hands out up to {@code max} entries to send, oldest first, and marks them in flight. */
    public synchronized List<OutboxEntry> take(int max) {
        List<OutboxEntry> out = new ArrayList<>();
        while (out.size() < max && !waiting.isEmpty()) {
            OutboxEntry entry = waiting.pollFirstEntry().getValue();
            inFlight.put(entry.seq(), entry);
            out.add(entry);
        }
        return out;
    }

    /** The cloud acknowledged {@code entry}: forget it, unless a newer change for its key is already queued. */
    public void acknowledged(OutboxEntry entry) {
        synchronized (this) {
            inFlight.remove(entry.seq());
            // A late acknowledgement from a lost connection: the entry may already wait for a resend.
            waiting.remove(entry.seq());
            delivered++;
            OutboxEntry current = latest.get(entry.key());
            if (current == null || current.seq() != entry.seq()) {
                return;
            }
            latest.remove(entry.key());
            journal.submit(connection -> delete(connection, entry.key(), entry.seq()));
        }
    }

    /** The cloud refused {@code entry} outright: resending cannot help, so it is dropped and counted. */
    public void refused(OutboxEntry entry, String reason) {
        synchronized (this) {
            refused++;
            delivered--;
            lastRefusal = entry.topic() + ": " + reason;
        }
        acknowledged(entry);
    }

    /** The connection was lost: everything in flight is sent again on the next one, in its order. */
    public void requeueInFlight() {
        synchronized (this) {
            for (OutboxEntry entry : inFlight.values()) {
                OutboxEntry current = latest.get(entry.key());
                if (current != null && current.seq() == entry.seq()) {
                    waiting.put(entry.seq(), entry);
                }
            }
            inFlight.clear();
        }
        signal();
    }

    public synchronized int queued() {
        return latest.size();
    }

    public synchronized int inFlight() {
        return inFlight.size();
    }

    public synchronized boolean hasWaiting() {
        return !waiting.isEmpty();
    }

    /** Changes dropped because the outbox was full, since the hub started. */
    public synchronized long overflow() {
        return overflow;
    }

    public synchronized long delivered() {
        return delivered;
    }

    public synchronized long refusedCount() {
        return refused;
    }

    /** The topic and reason of the last message the cloud refused, or null. */
    public synchronized String lastRefusal() {
        return lastRefusal;
    }

    /** The payload waiting for {@code key}, or null. */
    public synchronized byte[] queuedPayload(String key) {
        OutboxEntry entry = latest.get(key);
        return entry == null ? null : entry.payload();
    }

    private void signal() {
        Runnable listener;
        synchronized (this) {
            listener = onWaiting;
        }
        listener.run();
    }

    private static void write(Connection connection, OutboxEntry entry) throws SQLException {
        try (PreparedStatement merge = connection.prepareStatement(
                "MERGE INTO cloud_outbox KEY (entry_key) VALUES (?, ?, ?, ?)")) {
            merge.setString(1, entry.key());
            merge.setLong(2, entry.seq());
            merge.setString(3, entry.topic());
            merge.setBytes(4, entry.payload());
            merge.executeUpdate();
        }
    }

    private static void delete(Connection connection, String key, Long seq) throws SQLException {
        String sql = seq == null ? "DELETE FROM cloud_outbox WHERE entry_key = ?"
                : "DELETE FROM cloud_outbox WHERE entry_key = ? AND seq = ?";
        try (PreparedStatement delete = connection.prepareStatement(sql)) {
            delete.setString(1, key);
            if (seq != null) {
                delete.setLong(2, seq);
            }
            delete.executeUpdate();
        }
    }
}
