package io.hearth.installer.admin;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.core.config.HearthConfig;
import io.hearth.core.lifecycle.Health;
import io.hearth.core.lifecycle.HubComponent;
import io.hearth.core.store.Store;
import io.hearth.web.auth.IdentityStore;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.nio.file.ClosedWatchServiceException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets {@code hearth user|credential|backup ...} work while the hub runs: the command leaves a request in
 * {@code <data-dir>/admin} and the running hub carries it out and leaves the answer next to it.
 * Only the hub's own user can write there (the data dir is private to it), so the file system's
 * permissions are the authority; no port is opened for it.
 */
@Singleton
public final class AdminInbox implements HubComponent {

    static final String REQUEST = ".request";
    static final String ANSWER = ".answer";
    private static final long STOP_WAIT_MILLIS = 5_000;

    private static final Logger LOG = LoggerFactory.getLogger(AdminInbox.class);
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path inbox;
    private final IdentityStore identities;
    private final Store store;
    private volatile WatchService watcher;
    private volatile Thread server;
    /** Why requests can no longer be served, once the inbox is gone. */
    private volatile String lost;

    public AdminInbox(HearthConfig config, IdentityStore identities, Store store) {
        this.inbox = directory(config.dataDir());
        this.identities = identities;
        this.store = store;
    }

    public static Path directory(Path dataDir) {
        return dataDir.resolve("admin");
    }

    /** Creates the inbox readable by the hub's user only (where the file system has permissions). */
    public static void createPrivate(Path inbox) throws IOException {
        Files.createDirectories(inbox);
        if (inbox.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.setPosixFilePermissions(inbox, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        }
    }

    /** An answer left for the command line. */
    record Answer(boolean ok, String message) {
    }

    @Override
    public String name() {
        return "admin";
    }

    @Override
    public int startOrder() {
        return CLOUD + 100;
    }

    @Override
    public boolean essential() {
        return false;
    }

    @Override
    public void start() throws IOException {
        createPrivate(inbox);
        WatchService watching = inbox.getFileSystem().newWatchService();
        // Watched before the first look, so that no request slips in between.
        inbox.register(watching, StandardWatchEventKinds.ENTRY_CREATE);
        watcher = watching;
        lost = null;
        Thread serving = new Thread(() -> serveUntilStopped(watching), "admin-inbox");
        serving.setDaemon(true);
        server = serving;
        serving.start();
    }

    @Override
    public void stop() {
        WatchService current = watcher;
        if (current == null) {
            return;
        }
        watcher = null;
        try {
            current.close();
            server.join(STOP_WAIT_MILLIS);
        } catch (IOException e) {
            LOG.warn("Closing the watch on {} failed: {}", inbox, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public Health health() {
        if (lost != null) {
            return Health.down(lost);
        }
        return watcher == null ? Health.starting() : Health.up(Map.of());
    }

    /**
     * Serves what waits, then sleeps until a file appears in the inbox: the kernel wakes this thread
     * (inotify on Linux), so an idle hub spends nothing on the inbox and an answer follows at once.
     */
    private void serveUntilStopped(WatchService watching) {
        try {
            while (true) {
                serve();
                WatchKey key = watching.take();
                key.pollEvents();
                if (!key.reset()) {
                    lost = inbox + " was removed, so commands such as hearth credential add cannot reach the "
                            + "running hub; restart the hub to create it again";
                    LOG.error("{}", lost);
                    return;
                }
            }
        } catch (ClosedWatchServiceException | InterruptedException stopped) {
            // stop() closed the watch
        }
    }

    private void serve() {
        try (DirectoryStream<Path> requests = Files.newDirectoryStream(inbox, "*" + REQUEST)) {
            for (Path request : requests) {
                answer(request);
            }
        } catch (IOException | RuntimeException e) {
            LOG.warn("Reading {} failed: {}", inbox, e.getMessage());
        }
    }

    private void answer(Path requestFile) throws IOException {
        String id = requestFile.getFileName().toString().replace(REQUEST, "");
        Answer answer;
        try {
            AdminRequest request = JSON.readValue(requestFile.toFile(), AdminRequest.class);
            answer = new Answer(true, AdminActions.execute(request, identities, store.dataSource(), inbox));
            LOG.info("From the command line: {}", answer.message());
        } catch (AdminActions.AdminException e) {
            answer = new Answer(false, e.getMessage());
        } catch (IOException e) {
            answer = new Answer(false, "the request could not be read: " + e.getMessage());
        }
        Path written = inbox.resolve(id + ANSWER + ".part");
        JSON.writeValue(written.toFile(), answer);
        Files.move(written, inbox.resolve(id + ANSWER), StandardCopyOption.ATOMIC_MOVE);
        Files.deleteIfExists(requestFile);
    }
}
