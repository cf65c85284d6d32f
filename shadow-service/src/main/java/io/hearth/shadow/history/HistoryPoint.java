package io.hearth.shadow.history;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.util.List;

/**
 * One reported value of a device at a moment, as kept for charts. Booleans are stored as 0 and 1
 * and given back as booleans.
 *
 * @param at epoch milliseconds
 */
public record HistoryPoint(String device, String property, long at, double value, boolean bool) {

    /** Adds points inside the caller's transaction, so a document and its history commit together. */
    public static void insert(Connection connection, List<HistoryPoint> points) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement(
                "INSERT INTO shadow_history (device_id, property, t, v, is_bool) VALUES (?, ?, ?, ?, ?)")) {
            for (HistoryPoint point : points) {
                insert.setString(1, point.device());
                insert.setString(2, point.property());
                insert.setLong(3, point.at());
                insert.setDouble(4, point.value());
                insert.setBoolean(5, point.bool());
                insert.addBatch();
            }
            insert.executeBatch();
        }
    }
}
