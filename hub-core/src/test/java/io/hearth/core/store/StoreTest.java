package io.hearth.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.core.lifecycle.HealthStatus;
import java.nio.file.Files;
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
    void theDatabaseCanBeReopenedAfterStop() throws Exception {
        DataDir data = DataDir.prepare(dir.resolve("data"));
        Store first = new Store(data, List.of(new Migrations("core")));
        first.start();
        first.stop();
        Store second = new Store(data, List.of(new Migrations("core")));
        second.start();
        assertThat(query(second, "SELECT COUNT(*) FROM core_hub")).isEqualTo("1");
        second.stop();
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
