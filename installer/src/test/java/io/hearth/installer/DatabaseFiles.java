package io.hearth.installer;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/** Reads a stopped hub's database file directly, read-only, to see what it really holds. */
final class DatabaseFiles {

    private DatabaseFiles() {
    }

    /**
     * Each row of the query's result as its columns joined by '|'. Read-only, unless the file needs
     * H2's recovery after an abrupt stop (a hub cut short by its stop watchdog on a busy machine),
     * which only a writable open does, as the hub's next start would.
     */
    static List<String> rows(Path dataDir, String sql) throws SQLException {
        String url = "jdbc:h2:file:" + dataDir.resolve("hearth").toAbsolutePath() + ";IFEXISTS=TRUE;TRACE_LEVEL_FILE=0;MAX_COMPACT_TIME=0";
        try {
            return rows(url + ";ACCESS_MODE_DATA=r", sql);
        } catch (SQLException needsRecovery) {
            return rows(url, sql);
        }
    }

    private static List<String> rows(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "hearth", "");
             Statement statement = connection.createStatement();
             ResultSet result = statement.executeQuery(sql)) {
            List<String> rows = new ArrayList<>();
            int columns = result.getMetaData().getColumnCount();
            while (result.next()) {
                List<String> row = new ArrayList<>();
                for (int i = 1; i <= columns; i++) {
                    row.add(result.getString(i));
                }
                rows.add(String.join("|", row));
            }
            return rows;
        }
    }

    static String single(Path dataDir, String sql) throws SQLException {
        List<String> rows = rows(dataDir, sql);
        if (rows.size() != 1) {
            throw new AssertionError(sql + " gave " + rows.size() + " rows: " + rows);
        }
        return rows.get(0);
    }
}
