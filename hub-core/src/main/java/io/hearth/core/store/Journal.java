package io.hearth.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Types;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.sql.DataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes the hub's durable changes on one thread, many per transaction (group commit). Every
 * module writes through the one journal the {@link Store} owns, so changes made at the same moment
 * by the broker, the shadow service and the rest share a transaction.
 *
 * <p>With a log file, each transaction's writes are appended to it and synced before the
 * transaction commits; the database then writes its own file at its own pace, and
 * {@link #replay} puts back what an abrupt stop kept from it. A commit thus costs one small append
 * and sync rather than a new region of the database file. The database records the last logged
 * transaction it holds ({@code core_journal}), so a replay applies each one exactly once. At a
 * checkpoint the log is set aside and a new one begun; once the database has synced its file, on
 * a thread of its own so that commits go on meanwhile, the old log is deleted.
 *
 * <p>Each change's future completes once its transaction is committed and logged;
 * acknowledgements that promise durability wait for it. Changes are applied in the order they
 * were submitted.
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
    private static final long CHECKPOINT_BYTES = 16L * 1024 * 1024;
    private final long checkpointBytes;
    private static final long CHECKPOINT_NANOS = TimeUnit.SECONDS.toNanos(30);
    private static final Pending STOP = new Pending(c -> { }, new CompletableFuture<>());

    private final BlockingQueue<Pending> queue = new LinkedBlockingQueue<>();
    private final String name;
    private final boolean immediate;
    private volatile DataSource dataSource;
    private WriteAheadLog log;
    private Path logFile;
    private ExecutorService checkpointer;
    private Future<?> checkpointing = CompletableFuture.completedFuture(null);
    private long position;
    private long lastCheckpoint;
    private Thread writer;
    /**
     * The writer's own connection, kept between transactions: handing a connection back to the
     * pool rolls it back and resets it, which cost more than a small transaction itself.
     */
    private Connection connection;

    /** A journal with its own writer thread and group commits; {@code name} names it in logs. */
    public Journal(String name) {
        this(name, false, CHECKPOINT_BYTES);
    }

    /** A journal that checkpoints once its log reaches {@code checkpointBytes}: for tests. */
    Journal(String name, long checkpointBytes) {
        this(name, false, checkpointBytes);
    }

    private Journal(String name, boolean immediate, long checkpointBytes) {
        this.name = name;
        this.immediate = immediate;
        this.checkpointBytes = checkpointBytes;
    }

    /**
     * A journal that commits each change on the calling thread before {@link #submit} returns: for
     * tools that write once and exit, and for tests that run a connection on a single thread.
     */
    public static Journal immediate(String name) {
        return new Journal(name, true, CHECKPOINT_BYTES);
    }

    /**
     * Starts the writer on {@code source} without a log: each commit is as durable as the database
     * alone makes it (for databases in memory, and tests).
     */
    public synchronized void open(DataSource source) {
        dataSource = source;
        if (!immediate) {
            startWriter();
        }
    }

    /**
     * Starts the writer on {@code source}, logging to {@code logFile}, which {@link #replay} must
     * have emptied into the database first.
     */
    synchronized void open(DataSource source, Path logFile) throws SQLException, IOException {
        try (Connection connection = source.getConnection()) {
            position = position(connection);
        }
        this.logFile = logFile;
        log = WriteAheadLog.open(logFile, true);
        lastCheckpoint = System.nanoTime();
        checkpointer = Executors.newSingleThreadExecutor(r -> {
            Thread thread = new Thread(r, name + "-checkpoint");
            thread.setDaemon(true);
            return thread;
        });
        open(source);
    }

    /** Where the log is set aside while a checkpoint makes the database hold all of it. */
    static Path setAside(Path logFile) {
        return logFile.resolveSibling(logFile.getFileName() + ".previous");
    }

    private void startWriter() {
        writer = new Thread(this::write, name + "-journal");
        writer.setDaemon(true);
        writer.start();
    }

    public CompletableFuture<Void> submit(Change change) {
        CompletableFuture<Void> committed = new CompletableFuture<>();
        if (immediate && dataSource != null) {
            synchronized (this) {
                commit(List.of(new Pending(change, committed)));
            }
            return committed;
        }
        if (writer == null) {
            committed.completeExceptionally(new IllegalStateException("the " + name + " journal is not open"));
            return committed;
        }
        queue.add(new Pending(change, committed));
        return committed;
    }

    /** Waits (up to 3 s) until every change submitted so far is committed. */
    public void flush() {
        try {
            submit(connection -> { }).get(3, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ExecutionException | TimeoutException e) {
            LOG.warn("Waiting for the {} journal to write: {}", name, e.getMessage());
        }
    }

    /** Writes what is queued, checkpoints, then stops. */
    public synchronized void close() {
        if (writer != null) {
            queue.add(STOP);
            try {
                writer.join(TimeUnit.SECONDS.toMillis(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            writer = null;
        }
        if (log != null) {
            checkpointer.shutdown();
            try {
                checkpointer.awaitTermination(10, TimeUnit.SECONDS);
                log.close();
                syncDatabase();
                Files.deleteIfExists(setAside(logFile));
                Files.write(logFile, new byte[0]);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (IOException | SQLException e) {
                LOG.warn("Closing the {} journal's log (the next start replays it): {}", name, e.getMessage());
            }
            log = null;
        }
        release();
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
            if (checkpointDue()) {
                checkpoint();
            }
        }
    }

    private void commit(List<Pending> batch) {
        if (batch.isEmpty()) {
            return;
        }
        List<Pending> committed = batch;
        try {
            Connection connection = connection();
            RecordingConnection recording = new RecordingConnection(connection);
            try {
                for (Pending pending : batch) {
                    pending.change().apply(recording.connection());
                }
                persist(connection, recording.writes());
            } catch (SQLException | IOException | RuntimeException e) {
                connection.rollback();
                // One bad change must not sink the others: retry them one by one.
                committed = new ArrayList<>();
                for (Pending pending : batch) {
                    recording.clear();
                    if (commitAlone(connection, recording, pending)) {
                        committed.add(pending);
                    }
                }
            }
        } catch (SQLException e) {
            LOG.error("The {} journal could not write to the database: {}", name, e.getMessage());
            release();
            batch.forEach(p -> p.committed().completeExceptionally(e));
            return;
        }
        committed.forEach(p -> p.committed().complete(null));
    }

    private Connection connection() throws SQLException {
        if (connection == null) {
            Connection opened = dataSource.getConnection();
            opened.setAutoCommit(false);
            connection = opened;
        }
        return connection;
    }

    /** Gives the writer's connection back (after a failure, the next transaction takes a new one). */
    private void release() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                LOG.debug("Closing the {} journal's connection: {}", name, e.getMessage());
            }
            connection = null;
        }
    }

    /** Commits one change; on failure, fails its future and returns false. */
    private boolean commitAlone(Connection connection, RecordingConnection recording, Pending pending)
            throws SQLException {
        try {
            pending.change().apply(recording.connection());
            persist(connection, recording.writes());
            return true;
        } catch (SQLException | IOException | RuntimeException e) {
            connection.rollback();
            LOG.error("A change in the {} journal could not be stored: {}", name, e.getMessage());
            pending.committed().completeExceptionally(e);
            return false;
        }
    }

    /** Logs {@code writes} (when there are any and a log) under the next position, then commits. */
    private void persist(Connection connection, List<RecordingConnection.Write> writes) throws SQLException, IOException {
        if (log == null || writes.isEmpty()) {
            connection.commit();
            return;
        }
        long next = position + 1;
        setPosition(connection, next);
        log.append(new WriteAheadLog.Entry(next, writes));
        connection.commit();
        position = next;
    }

    private boolean checkpointDue() {
        try {
            return log != null && checkpointing.isDone() && log.size() > 0
                    && (log.size() >= checkpointBytes || System.nanoTime() - lastCheckpoint >= CHECKPOINT_NANOS);
        } catch (IOException e) {
            return true;
        }
    }

    /** Sets the log aside and begins a new one; the database syncs and the old log goes in the background. */
    private void checkpoint() {
        lastCheckpoint = System.nanoTime();
        Path aside = setAside(logFile);
        try {
            log.close();
            Files.move(logFile, aside, StandardCopyOption.REPLACE_EXISTING);
            log = WriteAheadLog.open(logFile, true);
        } catch (IOException e) {
            throw new StoreException("the " + name + " journal cannot begin a new log: " + e.getMessage(), e);
        }
        checkpointing = checkpointer.submit(() -> {
            try {
                syncDatabase();
                Files.delete(aside);
            } catch (SQLException | IOException e) {
                LOG.warn("The {} journal could not checkpoint (the next start replays its log): {}", name,
                        e.getMessage());
            }
        });
    }

    /** Has the database write and sync everything committed so far. */
    private void syncDatabase() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("CHECKPOINT SYNC");
        }
    }

    /**
     * Applies to the database what {@code logFile} holds beyond the database's own position (what
     * an abrupt stop kept from the database file), syncs the database and empties the log.
     *
     * @return how many logged transactions were applied
     */
    static int replay(DataSource source, Path logFile) throws SQLException, IOException {
        List<WriteAheadLog.Entry> entries = new ArrayList<>(WriteAheadLog.read(setAside(logFile)));
        entries.addAll(WriteAheadLog.read(logFile));
        int applied = 0;
        try (Connection connection = source.getConnection()) {
            long position = position(connection);
            connection.setAutoCommit(false);
            for (WriteAheadLog.Entry entry : entries) {
                if (entry.position() <= position) {
                    continue;
                }
                if (entry.position() != position + 1) {
                    LOG.error("The journal log skips from transaction {} to {}; the changes between are lost",
                            position, entry.position());
                }
                for (RecordingConnection.Write write : entry.writes()) {
                    try (PreparedStatement statement = connection.prepareStatement(write.sql())) {
                        Object[] values = write.parameters();
                        for (int i = 0; i < values.length; i++) {
                            if (values[i] == null) {
                                statement.setNull(i + 1, Types.NULL);
                            } else {
                                statement.setObject(i + 1, values[i]);
                            }
                        }
                        statement.execute();
                    }
                }
                setPosition(connection, entry.position());
                connection.commit();
                position = entry.position();
                applied++;
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("CHECKPOINT SYNC");
            }
        }
        Files.deleteIfExists(setAside(logFile));
        Files.deleteIfExists(logFile);
        return applied;
    }

    /** The position of the last logged transaction the database holds; 0 before the first. */
    private static long position(Connection connection) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            // The store's own bookkeeping, needed whichever modules are installed, so not a migration.
            statement.execute("CREATE TABLE IF NOT EXISTS core_journal (id INT PRIMARY KEY, position BIGINT NOT NULL)");
            try (ResultSet row = statement.executeQuery("SELECT position FROM core_journal WHERE id = 1")) {
                return row.next() ? row.getLong(1) : 0;
            }
        }
    }

    private static void setPosition(Connection connection, long position) throws SQLException {
        try (PreparedStatement merge = connection.prepareStatement("MERGE INTO core_journal KEY (id) VALUES (1, ?)")) {
            merge.setLong(1, position);
            merge.executeUpdate();
        }
    }
}
