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
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * Runs an {@link AdminRequest} for the command line: directly on the database when no hub is running
 * on the data dir, else through the running hub's {@link AdminInbox}, so that a revocation also ends
 * live connections at once.
 */
public final class AdminClient {

    static final Duration ANSWER_TIMEOUT = Duration.ofSeconds(15);
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
        Path partial = inbox.resolve(id + ".part");
        JSON.writeValue(partial.toFile(), request);
        Files.move(partial, inbox.resolve(id + AdminInbox.REQUEST), StandardCopyOption.ATOMIC_MOVE);
        Path answerFile = inbox.resolve(id + AdminInbox.ANSWER);
        long deadline = System.nanoTime() + timeout.toNanos();
        long nextLiveCheck = System.nanoTime();
        while (!Files.exists(answerFile)) {
            if (System.nanoTime() > deadline) {
                Files.deleteIfExists(inbox.resolve(id + AdminInbox.REQUEST));
                throw new AdminActions.AdminException("the hub running on " + dataDir + " did not answer within "
                        + timeout.toSeconds() + " s; check its log");
            }
            if (System.nanoTime() > nextLiveCheck) {
                nextLiveCheck = System.nanoTime() + 1_000_000_000L;
                if (!hubRuns(dataDir) && !Files.exists(answerFile)) {
                    Files.deleteIfExists(inbox.resolve(id + AdminInbox.REQUEST));
                    throw new AdminActions.AdminException("the hub on " + dataDir + " stopped before it answered; "
                            + "run the command again");
                }
            }
            try {
                Thread.sleep(AdminInbox.POLL_MILLIS / 4);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AdminActions.AdminException("interrupted while waiting for the hub");
            }
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
