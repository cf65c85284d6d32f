package io.hearth.shadow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.shadow.history.HistoryPoint;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import javax.sql.DataSource;

/**
 * The shadows' rows in H2 ({@code shadow_document}) and the history rows written with them. Reads
 * happen on demand, one shadow at a time; writes run inside the shadow journal's transactions.
 */
final class ShadowStore {

    /**
     * A shadow as stored: its document, or null when it was deleted, and its last version.
     *
     * @param jsonLength characters of the document's state and metadata JSON, for the cache's budget
     */
    record Stored(ShadowDocument document, long version, int jsonLength) {
        static final Stored NEVER = new Stored(null, 0, 0);

        static Stored deleted(long version) {
            return new Stored(null, version, 0);
        }
    }

    /** A document already turned into the JSON text the table holds. */
    record Row(ShadowName name, long version, boolean deleted, String state, String metadata, long updatedAt) {

        /** UTF-8 bytes of desired plus reported, as the 8 KB limit counts them. */
        int stateBytes() {
            // Counting characters is exact for ASCII and enough when even three bytes each stay small.
            return state.length() * 3 <= ShadowService.MAX_STATE_BYTES ? state.length()
                    : state.getBytes(java.nio.charset.StandardCharsets.UTF_8).length;
        }
    }

    private static final ObjectMapper JSON = new ObjectMapper();

    private final DataSource dataSource;

    ShadowStore(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    Stored load(ShadowName name) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT version, deleted, state, metadata, updated_at FROM shadow_document WHERE thing = ? AND shadow = ?")) {
            select.setString(1, name.thing());
            select.setString(2, name.storedShadow());
            try (ResultSet row = select.executeQuery()) {
                if (!row.next()) {
                    return Stored.NEVER;
                }
                long version = row.getLong(1);
                if (row.getBoolean(2)) {
                    return Stored.deleted(version);
                }
                String state = row.getString(3);
                String metadata = row.getString(4);
                return new Stored(document(state, metadata, version, row.getLong(5)), version,
                        state.length() + metadata.length());
            }
        }
    }

    static Row row(ShadowName name, ShadowDocument document) {
        return new Row(name, document.version(), false, document.state().toString(), document.metadata().toString(),
                document.updatedAt());
    }

    static Row tombstone(ShadowName name, long version, long at) {
        return new Row(name, version, true, null, null, at);
    }

    static void write(Connection connection, Row row, List<HistoryPoint> history) throws SQLException {
        try (PreparedStatement merge = connection.prepareStatement(
                "MERGE INTO shadow_document KEY (thing, shadow) VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            merge.setString(1, row.name().thing());
            merge.setString(2, row.name().storedShadow());
            merge.setLong(3, row.version());
            merge.setBoolean(4, row.deleted());
            merge.setString(5, row.state());
            merge.setString(6, row.metadata());
            merge.setLong(7, row.updatedAt());
            merge.executeUpdate();
        }
        if (!history.isEmpty()) {
            HistoryPoint.insert(connection, history);
        }
    }

    /** Names of every stored shadow of {@code thing} that is not deleted. */
    List<ShadowName> shadowsOf(String thing) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT shadow FROM shadow_document WHERE thing = ? AND NOT deleted ORDER BY shadow")) {
            select.setString(1, thing);
            try (ResultSet rows = select.executeQuery()) {
                List<ShadowName> names = new java.util.ArrayList<>();
                while (rows.next()) {
                    names.add(ShadowName.fromStored(thing, rows.getString(1)));
                }
                return names;
            }
        }
    }

    private static ShadowDocument document(String state, String metadata, long version, long updatedAt) throws SQLException {
        try {
            JsonNode stateNode = JSON.readTree(state);
            JsonNode metadataNode = JSON.readTree(metadata);
            return new ShadowDocument(object(stateNode, "desired"), object(stateNode, "reported"),
                    object(metadataNode, "desired"), object(metadataNode, "reported"), version, updatedAt);
        } catch (JsonProcessingException e) {
            throw new SQLException("a stored shadow document is not valid JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static ObjectNode object(JsonNode parent, String field) {
        return parent.get(field) instanceof ObjectNode node ? node : null;
    }
}
