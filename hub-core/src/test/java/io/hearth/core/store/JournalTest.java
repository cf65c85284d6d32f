package io.hearth.core.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalTest {

    @TempDir
    Path dir;
    private DataDir data;
    private Store store;

    @BeforeEach
    void start() throws Exception {
        data = DataDir.prepare(dir.resolve("data"));
        store = new Store(data, List.of(new Migrations("core"), new Migrations("sample")));
        store.start();
    }

    @AfterEach
    void stop() {
        store.stop();
    }

    @Test
    void eachWriteIsLoggedWithItsValuesBeforeItCommits() throws Exception {
        insert(2, "two").get(5, TimeUnit.SECONDS);
        store.journal().submit(c -> {
            try (Statement statement = c.createStatement()) {
                statement.executeUpdate("UPDATE sample_note SET author = 'journal' WHERE id = 2");
            }
        }).get(5, TimeUnit.SECONDS);

        List<WriteAheadLog.Entry> logged = WriteAheadLog.read(data.journalFile());
        assertThat(logged).extracting(WriteAheadLog.Entry::position).containsExactly(1L, 2L);
        assertThat(logged.get(0).writes()).singleElement().satisfies(write -> {
            assertThat(write.sql()).isEqualTo("INSERT INTO sample_note VALUES (?, ?, ?)");
            assertThat(write.parameters()).containsExactly(2, "two", "journal");
        });
        assertThat(logged.get(1).writes().get(0).parameters()).isEmpty();
    }

    @Test
    void replayAppliesWhatTheDatabaseLacksExactlyOnceAndStopsAtATornRecord() throws Exception {
        insert(2, "in the database").get(5, TimeUnit.SECONDS);
        store.stop();
        // As if the hub had logged two more transactions and died before the database file held them,
        // the second one half written.
        try (WriteAheadLog log = WriteAheadLog.open(data.journalFile(), false)) {
            log.append(new WriteAheadLog.Entry(1, List.of(write(2, "in the database"))));
            log.append(new WriteAheadLog.Entry(2, List.of(write(3, "only in the log"))));
        }
        Files.write(data.journalFile(), new byte[] {0, 0, 0, 40, 1, 2, 3}, StandardOpenOption.APPEND);

        store.start();
        assertThat(count("SELECT COUNT(*) FROM sample_note WHERE id IN (2, 3)")).isEqualTo(2);
        assertThat(Files.size(data.journalFile())).isZero();
        insert(4, "after the replay").get(5, TimeUnit.SECONDS);
        assertThat(WriteAheadLog.read(data.journalFile())).extracting(WriteAheadLog.Entry::position)
                .as("positions go on from the replayed ones").containsExactly(3L);
    }

    @Test
    void aValueTheLogCannotHoldFailsOnlyItsOwnChange() throws Exception {
        CompletableFuture<Void> unloggable = store.journal().submit(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO sample_note (id, text) VALUES (5, ?)")) {
                insert.setTimestamp(1, new Timestamp(0));
                insert.executeUpdate();
            }
        });
        CompletableFuture<Void> fine = insert(6, "fine");

        fine.get(5, TimeUnit.SECONDS);
        assertThatThrownBy(() -> unloggable.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                .hasMessageContaining("cannot log a Timestamp");
        assertThat(count("SELECT COUNT(*) FROM sample_note WHERE id IN (5, 6)")).isEqualTo(1);
    }

    @Test
    void aLogSetAsideForACheckpointIsReplayedBeforeTheCurrentOne() throws Exception {
        store.stop();
        try (WriteAheadLog aside = WriteAheadLog.open(Journal.setAside(data.journalFile()), false);
             WriteAheadLog current = WriteAheadLog.open(data.journalFile(), false)) {
            aside.append(new WriteAheadLog.Entry(1, List.of(write(2, "set aside"))));
            current.append(new WriteAheadLog.Entry(2, List.of(new RecordingConnection.Write(
                    "UPDATE sample_note SET text = ? WHERE id = ?", new Object[] {"then changed", 2}))));
        }

        store.start();
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT text FROM sample_note WHERE id = 2")) {
            rs.next();
            assertThat(rs.getString(1)).isEqualTo("then changed");
        }
        assertThat(Files.exists(Journal.setAside(data.journalFile()))).isFalse();
    }

    @Test
    void checkpointsBeginNewLogsWhileCommitsGoOnAndLoseNothing() throws Exception {
        Path logFile = dir.resolve("small.journal");
        Journal small = new Journal("small", 2_048);
        small.open(store.dataSource(), logFile);
        long logged = 0;
        for (int id = 100; id < 1_100; id++) {
            int row = id;
            // One at a time, so that each is a record of its own and the log passes 2 KB many times.
            small.submit(c -> {
                try (PreparedStatement insert = c.prepareStatement("INSERT INTO sample_note VALUES (?, ?, ?)")) {
                    insert.setInt(1, row);
                    insert.setString(2, "row " + row);
                    insert.setString(3, "small");
                    insert.executeUpdate();
                }
            }).get(5, TimeUnit.SECONDS);
            logged = Math.max(logged, sizeOf(logFile));
        }

        assertThat(logged).as("the log was begun again each time it passed 2 KB").isLessThan(16_384);
        assertThat(count("SELECT COUNT(*) FROM sample_note WHERE author = 'small'")).isEqualTo(1_000);
        small.close();
        assertThat(Files.exists(Journal.setAside(logFile))).as("the set-aside log is gone once synced").isFalse();
        assertThat(Files.size(logFile)).isZero();
    }

    @Test
    void aCleanStopLeavesAnEmptyLog() throws Exception {
        insert(2, "two").get(5, TimeUnit.SECONDS);
        assertThat(Files.size(data.journalFile())).isPositive();
        store.stop();
        assertThat(Files.size(data.journalFile())).isZero();
        store.start();
    }

    private CompletableFuture<Void> insert(int id, String text) {
        return store.journal().submit(c -> {
            try (PreparedStatement insert = c.prepareStatement("INSERT INTO sample_note VALUES (?, ?, ?)")) {
                insert.setInt(1, id);
                insert.setString(2, text);
                insert.setString(3, "journal");
                insert.executeUpdate();
            }
        });
    }

    private static RecordingConnection.Write write(int id, String text) {
        return new RecordingConnection.Write("INSERT INTO sample_note VALUES (?, ?, ?)", new Object[] {id, text, "journal"});
    }

    private int count(String sql) throws SQLException {
        try (Connection c = store.dataSource().getConnection(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getInt(1);
        }
    }

    /** The log's size; 0 in the instant a checkpoint has moved it aside and not yet begun a new one. */
    private static long sizeOf(Path log) throws IOException {
        try {
            return Files.size(log);
        } catch (NoSuchFileException e) {
            return 0;
        }
    }
}
