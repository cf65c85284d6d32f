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
 * every module's tables to their newest version; modules then work through {@link #dataSource()}
 * with plain JDBC.
 */
@Singleton
public final class Store implements HubComponent {

    private static final Logger LOG = LoggerFactory.getLogger(Store.class);
    private static final int MAX_CONNECTIONS = 8;

    private final DataDir dataDir;
    private final List<Migrations> migrations;
    private volatile JdbcConnectionPool pool;
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
        // DB_CLOSE_ON_EXIT=FALSE: H2's own shutdown hook would close the database under
        // components that are still finishing their work; the hub closes it last, itself.
        // TRACE_LEVEL_FILE=4: H2 reports its errors through the hub's log, not a file of its own.
        String url = "jdbc:h2:file:" + dataDir.database() + ";DB_CLOSE_ON_EXIT=FALSE;TRACE_LEVEL_FILE=4";
        JdbcConnectionPool opened = JdbcConnectionPool.create(url, "hearth", "");
        opened.setMaxConnections(MAX_CONNECTIONS);
        try {
            try (Connection probe = opened.getConnection()) {
                probe.isValid(1);
            }
            Map<String, String> versions = new LinkedHashMap<>();
            for (Migrations module : migrations) {
                versions.put(module.module(), migrate(opened, module));
            }
            schemaVersions = Map.copyOf(versions);
        } catch (StoreException e) {
            opened.dispose();
            throw e;
        } catch (SQLException | RuntimeException e) {
            opened.dispose();
            throw new StoreException("cannot open the database " + dataDir.databaseFile() + ": "
                    + firstLine(rootMessage(e)), e);
        }
        pool = opened;
        LOG.info("Database ready at {} (schemas {})", dataDir.databaseFile(), schemaVersions);
    }

    private String migrate(DataSource dataSource, Migrations module) {
        Flyway flyway = Flyway.configure(Store.class.getClassLoader())
                .dataSource(dataSource)
                .locations(module.location())
                .table(module.historyTable())
                // Several modules share one schema, each with its own history table: a schema that
                // already holds another module's tables is the normal case, not a foreign database.
                .baselineOnMigrate(true)
                .baselineVersion("0")
                .load();
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

    /** Connections for modules' own queries. Only valid while the store is started. */
    public DataSource dataSource() {
        JdbcConnectionPool current = pool;
        if (current == null) {
            throw new IllegalStateException("the store is not open");
        }
        return current;
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
        if (current == null) {
            return;
        }
        int busy = current.getActiveConnections();
        if (busy > 0) {
            LOG.warn("{} database connection(s) still in use while closing; their open transactions are rolled back",
                    busy);
        }
        // H2 closes the database, writing everything out, when its last connection closes.
        current.dispose();
        LOG.info("Database closed");
    }

    @Override
    public Health health() {
        JdbcConnectionPool current = pool;
        if (current == null) {
            return Health.starting();
        }
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("file", dataDir.databaseFile().toString());
        details.put("sizeBytes", sizeOf(dataDir.databaseFile()));
        details.put("schemas", schemaVersions);
        details.put("activeConnections", current.getActiveConnections());
        return Health.up(details);
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
