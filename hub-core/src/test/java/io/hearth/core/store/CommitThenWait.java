package io.hearth.core.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Run in its own JVM by a test: commits one row directly and {@link #JOURNAL_ROWS} through the
 * journal, says so once all are acknowledged, and waits to be killed.
 */
public final class CommitThenWait {

    static final String COMMITTED = "committed";
    static final int JOURNAL_ROWS = 2_000;

    private CommitThenWait() {
    }

    public static void main(String[] args) throws Exception {
        Store store = new Store(DataDir.prepare(Path.of(args[0])), List.of(new Migrations("core"), new Migrations("sample")));
        store.start();
        try (Connection connection = store.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO sample_note VALUES (7, 'acknowledged', 'test')");
        }
        List<CompletableFuture<Void>> acknowledged = new ArrayList<>();
        for (int i = 0; i < JOURNAL_ROWS; i++) {
            int id = 1_000 + i;
            acknowledged.add(store.journal().submit(connection -> {
                try (PreparedStatement insert = connection.prepareStatement("INSERT INTO sample_note VALUES (?, ?, ?)")) {
                    insert.setInt(1, id);
                    insert.setString(2, "journal " + id);
                    insert.setString(3, "test");
                    insert.executeUpdate();
                }
            }));
        }
        CompletableFuture.allOf(acknowledged.toArray(new CompletableFuture[0])).join();
        System.out.println(COMMITTED);
        System.out.flush();
        Thread.sleep(60_000);
    }
}
