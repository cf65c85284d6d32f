package io.hearth.cloud.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.store.Journal;
import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.sql.DataSource;

/** {@code cloud_sync}: the last agreed state of each device's shadow and whether a local change waits. */
final class SyncRecords {

    /** The base of the next merge; sections null when absent. */
    record Synced(ObjectNode desired, ObjectNode reported, Long localVersion, Long cloudVersion) {
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Journal journal;
    private final Map<String, Synced> synced = new ConcurrentHashMap<>();
    private final Map<String, Boolean> dirty = new ConcurrentHashMap<>();

    SyncRecords(Journal journal) {
        this.journal = journal;
    }

    /** Loads the records; returns the devices whose local change had not reached the cloud. */
    List<String> load(DataSource dataSource) throws SQLException {
        List<String> waiting = new ArrayList<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement("SELECT device_id, synced_desired, synced_reported, "
                     + "local_version, cloud_version, dirty FROM cloud_sync");
             ResultSet rows = select.executeQuery()) {
            while (rows.next()) {
                String device = rows.getString(1);
                synced.put(device, new Synced(object(rows.getString(2)), object(rows.getString(3)),
                        (Long) rows.getObject(4, Long.class), (Long) rows.getObject(5, Long.class)));
                if (rows.getBoolean(6)) {
                    dirty.put(device, true);
                    waiting.add(device);
                }
            }
        }
        return waiting;
    }

    Synced of(String device) {
        return synced.get(device);
    }

    int dirtyCount() {
        return dirty.size();
    }

    /** A local change waits for the cloud; durable, so a restart still sends it. */
    void markDirty(String device) {
        if (dirty.put(device, true) == null) {
            Synced current = synced.get(device);
            journal.submit(connection -> write(connection, device, current, true));
        }
    }

    void synced(String device, Synced state) {
        synced.put(device, state);
        dirty.remove(device);
        journal.submit(connection -> write(connection, device, state, false));
    }

    void forget(String device) {
        synced.remove(device);
        dirty.remove(device);
        journal.submit(connection -> {
            try (PreparedStatement delete = connection.prepareStatement("DELETE FROM cloud_sync WHERE device_id = ?")) {
                delete.setString(1, device);
                delete.executeUpdate();
            }
        });
    }

    private static void write(Connection connection, String device, Synced state, boolean isDirty) throws SQLException {
        try (PreparedStatement merge = connection.prepareStatement(
                "MERGE INTO cloud_sync KEY (device_id) VALUES (?, ?, ?, ?, ?, ?)")) {
            merge.setString(1, device);
            merge.setString(2, state == null || state.desired() == null ? null : state.desired().toString());
            merge.setString(3, state == null || state.reported() == null ? null : state.reported().toString());
            setLong(merge, 4, state == null ? null : state.localVersion());
            setLong(merge, 5, state == null ? null : state.cloudVersion());
            merge.setBoolean(6, isDirty);
            merge.executeUpdate();
        }
    }

    private static void setLong(PreparedStatement statement, int index, Long value) throws SQLException {
        if (value == null) {
            statement.setNull(index, Types.BIGINT);
        } else {
            statement.setLong(index, value);
        }
    }

    private static ObjectNode object(String json) throws SQLException {
        if (json == null) {
            return null;
        }
        try {
            JsonNode node = JSON.readTree(json);
            return node instanceof ObjectNode object ? object : null;
        } catch (IOException e) {
            throw new SQLException("a stored sync state is not JSON", e);
        }
    }
}
