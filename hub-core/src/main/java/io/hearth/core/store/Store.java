package io.hearth.core.store;

import io.hearth.core.config.HearthConfig;
import io.hearth.core.lifecycle.Health;
import io.hearth.core.lifecycle.HubComponent;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.internal.sqlscript.FlywaySqlScriptException;
import org.flywaydb.core.api.MigrationInfo;
import org.h2.jdbcx.JdbcConnectionPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The hub's one embedded H2 database, in the data directory. Starting it opens the file and brings
 * every module's tables to their newest version; modules then read through {@link #dataSource()}
 * with plain JDBC and write through the shared {@link #journal()}.
 */
@Singleton
public final class Store implements HubComponent {

    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    private static final int MAX_CONNECTIONS = 8;

    private final DataDir dataDir;
    private final List<Migrations> migrations;
    private final Journal journal = new Journal("database");
    private volatile JdbcConnectionPool pool;
    private volatile DataSource connections;
    private volatile Map<String, String> schemaVersions = Map.of();

    @Inject
    public Store(HearthConfig config, List<Migrations> migrations) {
        this(new DataDir(config.dataDir()), migrations);
    }

    public Store(DataDir dataDir, List<Migrations> migrations) {
        this.dataDir = dataDir;
        List<Migrations> ordered = new ArrayList<>(migrations);
        ordered.sort(Comparator.comparing(Migrations::module));
        this.migrations = List.copyOf(ordered);
    }

    @Override
    public String name() {
        return "store";
    }

    @Override
    public int startOrder() {
        return STORE;
    }

    @Override
    public void start() {
        MigrationGuard guard = new MigrationGuard(dataDir);
        JdbcConnectionPool opened = null;
        try {
            guard.restoreIfInterrupted();
            replayJournal(dataDir);
            if (Files.exists(dataDir.databaseFile()) && anyPending()) {
                // Flyway cannot undo half-applied DDL on H2: keep a copy to put back if a step fails.
                guard.keepCopy();
            }
            opened = open(false);
            Map<String, String> versions = new LinkedHashMap<>();
            for (Migrations module : migrations) {
                versions.put(module.module(), migrate(opened, module));
            }
            schemaVersions = java.util.Collections.unmodifiableMap(versions);
            guard.done();
        } catch (StoreException e) {
            dispose(opened);
            guard.restore();
            throw e;
        } catch (IOException | SQLException | RuntimeException e) {
            dispose(opened);
            guard.restore();
            throw new StoreException("cannot open the database " + dataDir.databaseFile() + ": "
                    + firstLine(rootMessage(e)), e);
        }
        try {
            journal.open(opened, dataDir.journalFile());
        } catch (IOException | SQLException e) {
            dispose(opened);
            throw new StoreException("cannot open the journal " + dataDir.journalFile() + ": " + e.getMessage(), e);
        }
        pool = opened;
        connections = new CheckpointingDataSource(opened);
        ownerOnly(dataDir.databaseFile());
        ownerOnly(dataDir.journalFile());
        LOG.info("Database ready (schemas {})", schemaVersions);
    }

    /**
     * After an abrupt stop, the journal's log holds transactions the database file may lack: apply
     * them before anything reads the database (or migrates it, since they were written for the
     * tables as they were).
     */
    public static void replayJournal(DataDir dataDir) throws SQLException, IOException {
        Path log = dataDir.journalFile();
        if (isEmpty(log) && isEmpty(Journal.setAside(log))) {
            return;
        }
        JdbcConnectionPool recovering = JdbcConnectionPool.create(url(dataDir), "hearth", "");
        try {
            int applied = Journal.replay(recovering, log);
            if (applied > 0) {
                LOG.info("Recovered {} transaction(s) from the journal after an abrupt stop", applied);
            }
        } finally {
            recovering.dispose();
        }
    }

    private JdbcConnectionPool open(boolean readOnly) throws SQLException {
        JdbcConnectionPool opened = JdbcConnectionPool.create(url() + (readOnly ? ";ACCESS_MODE_DATA=r" : ""), "hearth", "");
        opened.setMaxConnections(MAX_CONNECTIONS);
        try (Connection probe = opened.getConnection()) {
            probe.isValid(1);
        }
        return opened;
    }

    /**
     * Whether an existing database needs migrations. Checked on a read-only open, so that the copy
     * kept for a failed upgrade is the previous file byte for byte. A file that an abrupt stop left
     * needing H2's recovery opens only writable; then the check runs on a writable open.
     */
    private boolean anyPending() throws SQLException {
        try {
            return anyPending(true);
        } catch (SQLException | RuntimeException needsRecovery) {
            LOG.info("The database needs recovering after an abrupt stop: {}", firstLine(rootMessage(needsRecovery)));
            return anyPending(false);
        }
    }

    private boolean anyPending(boolean readOnly) throws SQLException {
        JdbcConnectionPool check = open(readOnly);
        try {
            return anyPending(check);
        } finally {
            check.dispose();
        }
    }

    private boolean anyPending(DataSource dataSource) {
        for (Migrations module : migrations) {
            if (flyway(dataSource, module).info().pending().length > 0) {
                return true;
            }
        }
        return false;
    }

    private static void dispose(JdbcConnectionPool opened) {
        if (opened != null) {
            opened.dispose();
        }
    }

    /**
     * DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the database under components that
     * are still finishing their work; the hub closes it last, itself. TRACE_LEVEL_FILE=4: H2 reports
     * its errors through the hub's log, not a file of its own. H2 writes commits to its file in the
     * background, with its housekeeping, which reclaims unused space; the journal's log and
     * {@link CheckpointingDataSource} make what the hub acknowledged durable before that.
     * WRITE_DELAY=10000: it does so every 10 s rather than every half second. Each write encodes and
     * stores every changed page whole, and a busy page changes many times in 10 s: at 500 shadow
     * updates a second, H2 wrote 27 MB in 30 s with the default and 5.5 MB with this.
     * AUTO_COMPACT_FILL_RATE=30: while busy, H2 moves the live pages out of a chunk, so that its
     * space can be reused, once less than 15% of the chunk is live rather than 45% by default.
     * Moving reads those pages back into memory and writes them again. After a burst of updates it
     * went on for minutes, doubled the hub's young-collection pauses (8.5 ms on average against
     * 4.1 ms without moving) and filled the old generation. The file may keep more unused space.
     * MAX_COMPACT_TIME=0: no extra compaction while closing; it makes stopping slower and trips an
     * internal assertion of H2 2.3.232.
     */
    private String url() {
        return url(dataDir);
    }

    private static String url(DataDir dataDir) {
        return "jdbc:h2:file:" + dataDir.database() + ";DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=4;MAX_COMPACT_TIME=0;WRITE_DELAY=10000;AUTO_COMPACT_FILL_RATE=30";
    }

    private static Flyway flyway(DataSource dataSource, Migrations module) {
        return Flyway.configure(Store.class.getClassLoader())
                .dataSource(dataSource)
                .locations(module.location())
                .table(module.historyTable())
                // Several modules share one schema, each with its own history table: a schema that
                // already holds another module's tables is the normal case, not a foreign database.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
    }

    private String migrate(DataSource dataSource, Migrations module) {
        Flyway flyway = flyway(dataSource, module);
        int applied;
        try {
            applied = flyway.migrate().migrationsExecuted;
        } catch (FlywayException e) {
            for (Throwable cause = e; cause != null; cause = cause.getCause()) {
                if (cause instanceof FlywaySqlScriptException script && script.getResource() != null) {
                    throw new StoreException("migration " + script.getResource().getFilename() + " of the "
                            + module.module() + " tables failed at line " + script.getLineNumber() + ": "
                            + firstLine(rootMessage(e)), e);
                }
            }
            throw new StoreException("migrating the " + module.module() + " tables failed: "
                    + firstLine(rootMessage(e)), e);
        }
        MigrationInfo current = flyway.info().current();
        String version = current == null ? "0" : current.getVersion().getVersion();
        if (applied > 0) {
            LOG.info("Migrated {} tables to version {} ({} step{})", module.module(), version, applied,
                    applied == 1 ? "" : "s");
        }
        return version;
    }

    /**
     * Connections for modules' own queries and occasional writes, each durable once committed.
     * Only valid while the store is started.
     */
    public DataSource dataSource() {
        DataSource current = connections;
        if (current == null) {
            throw new IllegalStateException("the store is not open");
        }
        return current;
    }

    /**
     * Where every module's durable changes go, so that changes made at the same moment share one
     * transaction. Only writes while the store is started; {@link #stop()} writes what is queued.
     */
    public Journal journal() {
        return journal;
    }

    public DataDir dataDir() {
        return dataDir;
    }

    /** The schema version of each module, e.g. {@code {core=1}}. */
    public Map<String, String> schemaVersions() {
        return schemaVersions;
    }

    @Override
    public void stop() {
        JdbcConnectionPool current = pool;
        pool = null;
        connections = null;
        if (current == null) {
            return;
        }
        journal.close();
        int busy = current.getActiveConnections();
        // H2 closes the database when its last connection closes.
        current.dispose();
        if (busy > 0) {
            LOG.warn("{} database connection(s) were still in use; closing the database under them", busy);
            try (Connection direct = DriverManager.getConnection(url(), "hearth", "");
                 Statement statement = direct.createStatement()) {
                statement.execute("SHUTDOWN");
            } catch (SQLException e) {
                LOG.warn("Closing the database failed: {}", e.getMessage());
                return;
            }
        }
        LOG.info("Database closed");
    }

    @Override
    public Health health() {
        JdbcConnectionPool current = pool;
        if (current == null) {
            return Health.starting();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("sizeBytes", sizeOf(dataDir.databaseFile()));
        details.put("schemas", schemaVersions);
        details.put("activeConnections", current.getActiveConnections());
        return Health.up(details);
    }

    /** The database holds password hashes and tokens' hashes: readable by the hub's user only. */
    private static void ownerOnly(Path file) {
        try {
            if (Files.exists(file) && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.setPosixFilePermissions(file, java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"));
            }
        } catch (IOException e) {
            LOG.warn("Could not make {} private to the hub's user: {}", file, e.getMessage());
        }
    }

    private static boolean isEmpty(Path file) throws IOException {
        return !Files.exists(file) || Files.size(file) == 0;
    }

    private static long sizeOf(Path file) {
        try {
            return Files.size(file);
        } catch (IOException e) {
            return -1;
        }
    }

    private static String firstLine(String text) {
        return text == null ? "" : text.lines().findFirst().orElse("").trim();
    }

    private static String rootMessage(Throwable e) {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage();
    }
}
