package io.hearth.installer.admin;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.config.HearthConfig;
import io.hearth.core.lifecycle.HealthStatus;
import io.hearth.core.store.DataDir;
import io.hearth.core.store.DataDirLock;
import io.hearth.core.store.Migrations;
import io.hearth.core.store.Store;
import io.hearth.web.auth.IdentityStore;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The running hub's side of the command line: requests are answered as they arrive, with no polling. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AdminInboxTest {

    private static final Duration WAIT = Duration.ofSeconds(20);

    @TempDir
    Path dir;

    private DataDirLock hubLock;
    private Store store;
    private IdentityStore identities;
    private AdminInbox inbox;

    @BeforeEach
    void openTheHubsDatabase() throws Exception {
        DataDir dataDir = DataDir.prepare(dir);
        hubLock = DataDirLock.acquire(dataDir);
        store = new Store(dataDir, List.of(new Migrations("core"), new Migrations("auth")));
        store.start();
        identities = new IdentityStore(store);
        inbox = new AdminInbox(HearthConfig.defaults().withDataDir(dir), identities, store);
    }

    @AfterEach
    void close() throws Exception {
        inbox.stop();
        store.stop();
        hubLock.close();
    }

    @Test
    void aRequestLeftBeforeTheInboxStartedAndOnesThatFollowAreAnswered() throws Exception {
        CompletableFuture<String> early = CompletableFuture.supplyAsync(() -> ask(credentialAdd("porch-light")));
        Path admin = AdminInbox.directory(dir);
        while (!early.isDone() && !hasRequest(admin)) {
            Thread.sleep(10);
        }
        inbox.start();
        assertThat(early.get()).startsWith("added MQTT credential porch-light");

        assertThat(ask(credentialAdd("garden-valve"))).startsWith("added MQTT credential garden-valve");
        assertThat(ask(new AdminRequest(AdminRequest.Action.CREDENTIAL_REVOKE, "porch-light", null, null, null)))
                .isEqualTo("revoked porch-light; its connections are closed");
        assertThat(identities.credentials()).extracting(IdentityStore.Credential::thing).containsExactly("garden-valve");
        try (var left = Files.list(admin)) {
            assertThat(left).as("requests and answers cleaned up").isEmpty();
        }
    }

    @Test
    void stoppingEndsItsThreadAndARemovedInboxIsReportedWithWhatToDo() throws Exception {
        inbox.start();
        assertThat(inbox.health().status()).isEqualTo(HealthStatus.UP);
        Files.delete(AdminInbox.directory(dir));
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (inbox.health().status() != HealthStatus.DOWN && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(inbox.health().status()).isEqualTo(HealthStatus.DOWN);
        assertThat(inbox.health().message()).contains("was removed", "restart the hub");
        // Its thread reports the loss before it returns, so it may still be finishing: stop() waits for it.
        inbox.stop();

        AdminInbox again = new AdminInbox(HearthConfig.defaults().withDataDir(dir), identities, store);
        again.start();
        again.stop();
        assertThat(Thread.getAllStackTraces().keySet()).noneMatch(thread -> thread.getName().equals("admin-inbox"));
    }

    private static boolean hasRequest(Path admin) throws java.io.IOException {
        if (!Files.isDirectory(admin)) {
            return false;
        }
        try (var files = Files.list(admin)) {
            return files.anyMatch(file -> file.toString().endsWith(AdminInbox.REQUEST));
        }
    }

    private static AdminRequest credentialAdd(String thing) {
        return new AdminRequest(AdminRequest.Action.CREDENTIAL_ADD, thing, null, null, List.of("home/" + thing + "/#"));
    }

    private String ask(AdminRequest request) {
        try {
            return AdminClient.throughRunningHub(dir, request, WAIT);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
