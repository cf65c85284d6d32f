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

    /** Each row of the query's result as its columns joined by '|'. */
    static List<String> rows(Path dataDir, String sql) throws SQLException {
        String url = "jdbc:h2:file:" + dataDir.resolve("hearth").toAbsolutePath()
                + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r;TRACE_LEVEL_FILE=0";
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
