package io.hearth.installer.backup;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import javax.sql.DataSource;

/**
 * A consistent copy of the hub's H2 database, taken while it is open: H2's {@code BACKUP TO} writes
 * the database as of one moment (its multi-version store) into a zip file without stopping writers.
 */
public final class DatabaseCopy {

    /** The file name ending of a copy in the admin inbox. */
    public static final String SUFFIX = ".db.zip";
    static final String DATABASE_FILE = "hearth.mv.db";

    /** What a backup records about its database, read from the copy itself. */
    public record Facts(String hubId, Map<String, String> schemas) {
    }

    private DatabaseCopy() {
    }

    /** Writes the database behind {@code database} to the zip file {@code target}. */
    public static void write(DataSource database, Path target) throws SQLException {
        try (Connection connection = database.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("BACKUP TO '" + target.toAbsolutePath().toString().replace("'", "''") + "'");
        }
    }

    /**
     * Writes the closed database file {@code databaseFile} (ending in .mv.db) to {@code target},
     * opening it read-only: a backup must not change what it copies. Only a file that an abrupt stop
     * left needing H2's recovery is opened writable, as the hub's next start would.
     */
    static void writeClosed(Path databaseFile, Path target) throws SQLException {
        try {
            backup(url(databaseFile, true), target);
        } catch (SQLException needsRecovery) {
            backup(url(databaseFile, false), target);
        }
    }

    private static void backup(String url, Path target) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, "hearth", "");
             Statement statement = connection.createStatement()) {
            statement.execute("BACKUP TO '" + target.toAbsolutePath().toString().replace("'", "''") + "'");
        }
    }

    /** Takes the database file out of a copy made by {@link #write}. */
    static void extract(Path copy, Path databaseFile) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(copy))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (entry.getName().endsWith(".mv.db")) {
                    Files.copy(zip, databaseFile, StandardCopyOption.REPLACE_EXISTING);
                    return;
                }
            }
        }
        throw new IOException("the database copy " + copy.getFileName() + " holds no database file");
    }

    /** Opens a database file read-only and reads the hub's id and each module's schema version. */
    static Facts facts(Path databaseFile) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url(databaseFile, true), "hearth", "");
             Statement statement = connection.createStatement()) {
            String hubId;
            try (ResultSet hub = statement.executeQuery("SELECT id FROM core_hub")) {
                if (!hub.next()) {
                    throw new SQLException("the database has no hub identity (core_hub is empty)");
                }
                hubId = hub.getString(1);
            }
            Map<String, String> schemas = new TreeMap<>();
            try (ResultSet tables = statement.executeQuery("SELECT table_name FROM information_schema.tables "
                    + "WHERE table_schema = 'PUBLIC' AND table_name LIKE '%\\_SCHEMA\\_HISTORY'")) {
                while (tables.next()) {
                    schemas.put(tables.getString(1).replace("_SCHEMA_HISTORY", "").toLowerCase(java.util.Locale.ROOT), "");
                }
            }
            for (Map.Entry<String, String> module : schemas.entrySet()) {
                String table = module.getKey().toUpperCase(java.util.Locale.ROOT) + "_SCHEMA_HISTORY";
                try (ResultSet version = statement.executeQuery("SELECT \"version\" FROM \"" + table
                        + "\" WHERE \"success\" ORDER BY \"installed_rank\" DESC LIMIT 1")) {
                    module.setValue(version.next() && version.getString(1) != null ? version.getString(1) : "0");
                }
            }
            return new Facts(hubId, schemas);
        }
    }

    private static String url(Path databaseFile, boolean readOnly) {
        String name = databaseFile.toAbsolutePath().toString();
        if (!name.endsWith(".mv.db")) {
            throw new IllegalArgumentException(databaseFile + " is not an H2 database file");
        }
        // IFEXISTS: never create an empty database where a file was expected.
        return "jdbc:h2:file:" + name.substring(0, name.length() - ".mv.db".length())
                + ";IFEXISTS=TRUE;DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=0;MAX_COMPACT_TIME=0"
                + (readOnly ? ";ACCESS_MODE_DATA=r" : "");
    }

    /** Reads a whole stream, for callers that must drain a zip entry. */
    static long drain(InputStream in) throws IOException {
        return in.transferTo(java.io.OutputStream.nullOutputStream());
    }
}
