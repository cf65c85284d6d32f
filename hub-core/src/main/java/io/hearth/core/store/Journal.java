package io.hearth.core.store;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes a module's durable changes on one thread, many per transaction (group commit), so
 * throughput does not hinge on one disk sync per change. Each change's future completes once its
 * transaction is committed; acknowledgements that promise durability wait for it. Changes are
 * applied in the order they were submitted.
 */
public final class Journal {

    /** One change, run inside the writer's transaction. */
    @FunctionalInterface
    public interface Change {
        void apply(Connection connection) throws SQLException;
    }

    private record Pending(Change change, CompletableFuture<Void> committed) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(Journal.class);
    private static final int MAX_BATCH = 2_000;
    private static final Pending STOP = new Pending(c -> { }, new CompletableFuture<>());

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final String name;
    private final boolean immediate;
    private volatile DataSource dataSource;
    private Thread writer;

    /** A journal with its own writer thread and group commits; {@code name} is its module's, for logs. */
    public Journal(String name) {
        this(name, false);
    }

    private Journal(String name, boolean immediate) {
        this.name = name;
        this.immediate = immediate;
    }

    /**
     * A journal that commits each change on the calling thread before {@link #submit} returns: for
     * tools that write once and exit, and for tests that run a connection on a single thread.
     */
    public static Journal immediate(String name) {
        return new Journal(name, true);
    }

    /** Starts the writer on {@code source}. */
    public synchronized void open(DataSource source) {
        dataSource = source;
        if (immediate) {
            return;
        }
        writer = new Thread(this::write, name + "-journal");
        writer.setDaemon(true);
        writer.start();
    }

    public CompletableFuture<Void> submit(Change change) {
        CompletableFuture<Void> committed = new CompletableFuture<>();
        if (immediate && dataSource != null) {
            commit(List.of(new Pending(change, committed)));
            return committed;
        }
        if (writer == null) {
            committed.completeExceptionally(new IllegalStateException("the " + name + " journal is not open"));
            return committed;
        }
        queue.add(new Pending(change, committed));
        return committed;
    }

    /** Writes what is queued, then stops. */
    public synchronized void close() {
        if (writer == null) {
            return;
        }
        queue.add(STOP);
        try {
            writer.join(TimeUnit.SECONDS.toMillis(3));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        writer = null;
    }

    private void write() {
        List<Pending> batch = new ArrayList<>();
        while (true) {
            try {
                batch.add(queue.take());
            } catch (InterruptedException e) {
                return;
            }
            queue.drainTo(batch, MAX_BATCH - 1);
            boolean stop = batch.remove(STOP);
            commit(batch);
            batch.clear();
            if (stop) {
                return;
            }
        }
    }

    private void commit(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        try (Connection connection = dataSource.getConnection()) {
            connection.setAutoCommit(false);
            try {
                for (Pending pending : batch) {
                    pending.change().apply(connection);
                }
                connection.commit();
                batch.forEach(p -> p.committed().complete(null));
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                // One bad change must not sink the others: retry them one by one.
                for (Pending pending : batch) {
                    commitAlone(connection, pending);
                }
            }
        } catch (SQLException e) {
            LOG.error("The {} could not write to the database: {}", name, e.getMessage());
            batch.forEach(p -> p.committed().completeExceptionally(e));
        }
    }

    private void commitAlone(Connection connection, Pending pending) throws SQLException {
        try {
            pending.change().apply(connection);
            connection.commit();
            pending.committed().complete(null);
        } catch (SQLException | RuntimeException e) {
            connection.rollback();
            LOG.error("A {} change could not be stored: {}", name, e.getMessage());
            pending.committed().completeExceptionally(e);
        }
    }
}
