package io.hearth.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.core.lifecycle.HealthStatus;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.TimeUnit;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoreTest {

    @TempDir
    Path dir;

    @Test
    void anEmptyDataDirGetsADatabaseWithEveryModulesTables() throws Exception {
        Store store = new Store(DataDir.prepare(dir.resolve("data")), List.of(new Migrations("core"), new Migrations("sample")));
        store.start();
        try {
            assertThat(store.schemaVersions()).isEqualTo(Map.of("core", "1", "sample", "2"));
            assertThat(query(store, "SELECT COUNT(*) FROM core_hub")).isEqualTo("1");
            assertThat(query(store, "SELECT text || '/' || author FROM sample_note")).isEqualTo("kept across upgrades/hub");
            assertThat(store.health().status()).isEqualTo(HealthStatus.UP);
            assertThat(store.health().details()).containsEntry("schemas", Map.of("core", "1", "sample", "2"));
        } finally {
            store.stop();
        }
        assertThat(Files.exists(dir.resolve("data/hearth.mv.db"))).isTrue();
        assertThat(java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(dir.resolve("data/hearth.mv.db")))).as("only the hub's user reads it")
                .isEqualTo("rw-------");
    }

    @Test
    void anExistingDatabaseIsUpgradedInPlaceAndKeepsItsData() throws Exception {
        DataDir data = DataDir.prepare(dir.resolve("data"));
        // An older release: only the first sample migration had been applied.
        Store older = new Store(data, List.of(new Migrations("core")));
        older.start();
        Flyway.configure().dataSource(older.dataSource()).locations("classpath:db/migration/sample")
                .table(new Migrations("sample").historyTable()).baselineOnMigrate(true).baselineVersion("0").target("1").load().migrate();
        String hubId = query(older, "SELECT id FROM core_hub");
        execute(older, "INSERT INTO sample_note VALUES (2, 'written by the older release')");
        older.stop();

        Store newer = new Store(data, List.of(new Migrations("core"), new Migrations("sample")));
        newer.start();
        try {
            assertThat(newer.schemaVersions()).containsEntry("sample", "2");
            assertThat(query(newer, "SELECT id FROM core_hub")).isEqualTo(hubId);
            assertThat(query(newer, "SELECT author FROM sample_note WHERE id = 2")).isEqualTo("hub");
        } finally {
            newer.stop();
        }
    }

    @Test
    void restartingAppliesNothingTwice() throws Exception {
        DataDir data = DataDir.prepare(dir.resolve("data"));
        for (int start = 0; start < 2; start++) {
            Store store = new Store(data, List.of(new Migrations("core"), new Migrations("sample")));
            store.start();
            try {
                assertThat(query(store, "SELECT COUNT(*) FROM sample_note")).isEqualTo("1");
                assertThat(query(store, "SELECT COUNT(*) FROM sample_schema_history WHERE \"type\" = 'SQL'")).isEqualTo("2");
            } finally {
                store.stop();
            }
        }
    }

    @Test
    void aBrokenMigrationStopsTheStartAndNamesTheModule() throws Exception {
        Store store = new Store(DataDir.prepare(dir.resolve("data")), List.of(new Migrations("core"), new Migrations("broken")));
        assertThatThrownBy(store::start)
                .isInstanceOf(StoreException.class)
                .hasMessageContaining("broken")
                .hasMessageContaining("V1__typo.sql")
                .hasMessageContaining("line 2");
        assertThatThrownBy(store::dataSource).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aFailedUpgradeLeavesThePreviousDatabaseUntouched() throws Exception {
        DataDir data = DataDir.prepare(dir.resolve("data"));
        Store before = new Store(data, List.of(new Migrations("core"), new Migrations("sample")));
        before.start();
        execute(before, "INSERT INTO sample_note VALUES (2, 'before the upgrade', 'owner')");
        before.stop();

        byte[] previous = Files.readAllBytes(data.databaseFile());
        Store failing = new Store(data, List.of(new Migrations("core"), new Migrations("sample"), new Migrations("broken")));
        assertThatThrownBy(failing::start).isInstanceOf(StoreException.class);
        assertThat(Files.exists(data.root().resolve("hearth.mv.db.before-upgrade"))).isFalse();
        assertThat(Files.readAllBytes(data.databaseFile())).as("byte for byte").isEqualTo(previous);

        Store after = new Store(data, List.of(new Migrations("core"), new Migrations("sample")));
        after.start();
        try {
            assertThat(query(after, "SELECT text FROM sample_note WHERE id = 2")).isEqualTo("before the upgrade");
            assertThat(query(after, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME LIKE 'BROKEN%'"))
                    .isEqualTo("0");
        } finally {
            after.stop();
        }
    }

    @Test
    void anUpgradeCutShortIsRolledBackAtTheNextStart() throws Exception {
        DataDir data = DataDir.prepare(dir.resolve("data"));
        Store before = new Store(data, List.of(new Migrations("core")));
        before.start();
        before.stop();
        Path earlier = Files.copy(data.databaseFile(), dir.resolve("earlier.mv.db"));
        Store changed = new Store(data, List.of(new Migrations("core"), new Migrations("sample")));
        changed.start();
        changed.stop();
        // As if the process died during that upgrade: the copy of the earlier database is still there.
        Files.move(earlier, data.root().resolve("hearth.mv.db.before-upgrade"));

        Store next = new Store(data, List.of(new Migrations("core")));
        next.start();
        try {
            assertThat(query(next, "SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'SAMPLE_NOTE'"))
                    .isEqualTo("0");
        } finally {
            next.stop();
        }
    }

    @Test
    void stoppingReleasesTheDatabaseFile() throws Exception {
        DataDir data = DataDir.prepare(dir.resolve("data"));
        Store store = new Store(data, List.of(new Migrations("core")));
        store.start();
        store.stop();
        // H2 holds an OS lock on the file while the database is open.
        try (FileChannel channel = FileChannel.open(data.databaseFile(), StandardOpenOption.WRITE);
             FileLock lock = channel.tryLock()) {
            assertThat(lock).isNotNull();
        }
    }

    @Test
    void committedWritesSurviveKillNine() throws Exception {
        Path data = dir.resolve("data");
        Process writer = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-cp", System.getProperty("java.class.path"), CommitThenWait.class.getName(), data.toString())
                .redirectErrorStream(true).start();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(writer.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null && !line.equals(CommitThenWait.COMMITTED)) {
                // skip log lines
            }
            assertThat(line).isEqualTo(CommitThenWait.COMMITTED);
            writer.destroyForcibly();
            writer.waitFor(10, TimeUnit.SECONDS);
        }
        Store store = new Store(DataDir.prepare(data), List.of(new Migrations("core"), new Migrations("sample")));
        store.start();
        try {
            assertThat(query(store, "SELECT text FROM sample_note WHERE id = 7")).isEqualTo("acknowledged");
            assertThat(query(store, "SELECT COUNT(*) FROM sample_note WHERE id >= 1000"))
                    .as("every change the journal acknowledged").isEqualTo(String.valueOf(CommitThenWait.JOURNAL_ROWS));
            assertThat(Files.size(data.resolve("hearth.journal"))).as("the log was emptied into the database").isZero();
        } finally {
            store.stop();
        }
    }

    private static String query(Store store, String sql) throws SQLException {
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getString(1);
        }
    }

    private static void execute(Store store, String sql) throws SQLException {
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement()) {
            s.execute(sql);
        }
    }
}
