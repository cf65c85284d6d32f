package io.hearth.serial.mysensors;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;
import javax.sql.DataSource;

/**
 * The MySensors nodes of each gateway, kept in the hub's database (table {@code serial_node}) so
 * handed-out ids stay taken and paired nodes keep their keys across restarts.
 */
public final class NodeBook {

    /** Ids 1 to 254 are nodes; 0 is the gateway itself and 255 means "no id yet". */
    private static final int FIRST_ID = 1;
    private static final int LAST_ID = 254;

    /** A node as stored: what it presented, and whether it was added as a device. */
    public record StoredNode(NodeLayout layout, boolean paired) {
    }

    private final DataSource dataSource;

    public NodeBook(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    public Map<Integer, StoredNode> load(String gateway) throws SQLException {
        Map<Integer, StoredNode> nodes = new LinkedHashMap<>();
        try (Connection connection = dataSource.getConnection();
             PreparedStatement select = connection.prepareStatement(
                     "SELECT node_id, paired, sketch_name, sketch_version, children, battery FROM serial_node "
                             + "WHERE gateway = ? ORDER BY node_id")) {
            select.setString(1, gateway);
            try (ResultSet rows = select.executeQuery()) {
                while (rows.next()) {
                    int node = rows.getInt(1);
                    NodeLayout layout = new NodeLayout(node, rows.getString(3), rows.getString(4),
                            children(rows.getString(5)), rows.getBoolean(6));
                    nodes.put(node, new StoredNode(layout, rows.getBoolean(2)));
                }
            }
        }
        return nodes;
    }

    public void save(String gateway, NodeLayout layout, boolean paired) throws SQLException {
        try (Connection connection = dataSource.getConnection();
             PreparedStatement merge = connection.prepareStatement(
                     "MERGE INTO serial_node (gateway, node_id, paired, sketch_name, sketch_version, children, battery, "
                             + "updated_at) KEY (gateway, node_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")) {
            merge.setString(1, gateway);
            merge.setInt(2, layout.node());
            merge.setBoolean(3, paired);
            merge.setString(4, clip(layout.sketchName()));
            merge.setString(5, clip(layout.sketchVersion()));
            merge.setString(6, text(layout.children()));
            merge.setBoolean(7, layout.battery());
            merge.setTimestamp(8, Timestamp.from(Instant.now()));
            merge.executeUpdate();
        }
    }

    /** Takes the lowest id no node of {@code gateway} holds; empty when all 254 are taken. */
    public OptionalInt allocate(String gateway) throws SQLException {
        Set<Integer> taken = new HashSet<>(load(gateway).keySet());
        for (int id = FIRST_ID; id <= LAST_ID; id++) {
            if (!taken.contains(id)) {
                save(gateway, NodeLayout.empty(id), false);
                return OptionalInt.of(id);
            }
        }
        return OptionalInt.empty();
    }

    private static String clip(String text) {
        return text == null || text.length() <= 64 ? text : text.substring(0, 64);
    }

    private static String text(List<NodeLayout.Child> children) {
        StringBuilder text = new StringBuilder();
        for (NodeLayout.Child child : children) {
            text.append(text.isEmpty() ? "" : ",").append(child.id()).append(':').append(child.sensorType());
        }
        return text.toString();
    }

    private static List<NodeLayout.Child> children(String text) {
        List<NodeLayout.Child> children = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return children;
        }
        for (String pair : text.split(",")) {
            String[] parts = pair.split(":");
            children.add(new NodeLayout.Child(Integer.parseInt(parts[0]), Integer.parseInt(parts[1])));
        }
        return children;
    }
}
