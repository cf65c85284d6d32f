package io.hearth.core.store;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.List;

/** Run in its own JVM by a test: commits one row, says so, and waits to be killed. */
public final class CommitThenWait {

    static final String COMMITTED = "committed";

    private CommitThenWait() {
    }

    public static void main(String[] args) throws Exception {
        Store store = new Store(DataDir.prepare(Path.of(args[0])), List.of(new Migrations("core"), new Migrations("sample")));
        store.start();
        try (Connection connection = store.dataSource().getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO sample_note VALUES (7, 'acknowledged', 'test')");
        }
        System.out.println(COMMITTED);
        System.out.flush();
        Thread.sleep(60_000);
    }
}
