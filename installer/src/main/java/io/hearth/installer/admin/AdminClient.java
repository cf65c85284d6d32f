package io.hearth.installer.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.core.store.DataDir;
import io.hearth.core.store.DataDirInUseException;
import io.hearth.core.store.DataDirLock;
import io.hearth.core.store.Migrations;
import io.hearth.core.store.Store;
import io.hearth.web.auth.IdentityStore;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Runs an {@link AdminRequest} for the command line: directly on the database when no hub is running
 * on the data dir, else through the running hub's {@link AdminInbox}, so that a revocation also ends
 * live connections at once.
 */
public final class AdminClient {

    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);
    /** How often, while it waits, the command checks that the hub still runs. */
    private static final long LIVE_CHECK_SECONDS = 1;
    private static final ObjectMapper JSON = new ObjectMapper();

    private AdminClient() {
    }

    /** Returns what was done; throws with the reason it was not. */
    public static String run(Path dataDirPath, AdminRequest request) throws AdminActions.AdminException, IOException {
        DataDir dataDir = DataDir.prepare(dataDirPath);
        DataDirLock lock;
        try {
            lock = DataDirLock.acquire(dataDir);
        } catch (DataDirInUseException running) {
            return throughRunningHub(dataDir.root(), request, ANSWER_TIMEOUT);
        }
        try (lock) {
            Store store = new Store(dataDir, List.of(new Migrations("core"), new Migrations("auth")));
            store.start();
            try {
                return AdminActions.execute(request, new IdentityStore(store), store.dataSource(),
                        AdminInbox.directory(dataDir.root()));
            } finally {
                store.stop();
            }
        }
    }

    /**
     * Leaves {@code request} for the hub running on {@code dataDir} and waits for its answer. Gives up
     * after {@code timeout}, or at once when the hub stops meanwhile.
     */
    public static String throughRunningHub(Path dataDir, AdminRequest request, Duration timeout)
            throws AdminActions.AdminException, IOException {
        Path inbox = AdminInbox.directory(dataDir);
        AdminInbox.createPrivate(inbox);
        String id = UUID.randomUUID().toString();
        Path requestFile = inbox.resolve(id + AdminInbox.REQUEST);
        Path answerFile = inbox.resolve(id + AdminInbox.ANSWER);
        try (WatchService watcher = inbox.getFileSystem().newWatchService()) {
            // Watched before the request is left, so that an answer that comes at once is seen.
            inbox.register(watcher, StandardWatchEventKinds.ENTRY_CREATE);
            Path partial = inbox.resolve(id + ".part");
            JSON.writeValue(partial.toFile(), request);
            Files.move(partial, requestFile, StandardCopyOption.ATOMIC_MOVE);
            long deadline = System.nanoTime() + timeout.toNanos();
            while (!Files.exists(answerFile)) {
                if (System.nanoTime() > deadline) {
                    Files.deleteIfExists(requestFile);
                    throw new AdminActions.AdminException("the hub running on " + dataDir + " did not answer within "
                            + timeout.toSeconds() + " s; check its log");
                }
                if (!hubRuns(dataDir) && !Files.exists(answerFile)) {
                    Files.deleteIfExists(requestFile);
                    throw new AdminActions.AdminException("the hub on " + dataDir + " stopped before it answered; "
                            + "run the command again");
                }
                WatchKey created = watcher.poll(LIVE_CHECK_SECONDS, TimeUnit.SECONDS);
                if (created != null) {
                    created.pollEvents();
                    created.reset();
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AdminActions.AdminException("interrupted while waiting for the hub");
        }
        AdminInbox.Answer answer = JSON.readValue(answerFile.toFile(), AdminInbox.Answer.class);
        Files.deleteIfExists(answerFile);
        if (!answer.ok()) {
            throw new AdminActions.AdminException(answer.message());
        }
        return answer.message();
    }

    /** Whether a hub holds the data dir's lock right now. */
    public static boolean hubRuns(Path dataDir) throws IOException {
        try (DataDirLock free = DataDirLock.acquire(new DataDir(dataDir))) {
            return false;
        } catch (DataDirInUseException held) {
            return true;
        }
    }
}
