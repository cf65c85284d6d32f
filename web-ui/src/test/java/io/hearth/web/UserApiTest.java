package io.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.auth.Role;
import io.hearth.shadow.RunningShadows;
import io.hearth.web.auth.IdentityStore;
import io.hearth.web.testing.TestHubs;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /api/v1/users}: the home's people and roles, the last owner kept, and deletion taking effect at once. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class UserApiTest {

    private RunningShadows hub;
    private IdentityStore identities;
    private ApiClient owner;

    @BeforeEach
    void start() throws Exception {
        hub = TestHubs.withoutZigbee();
        identities = hub.bean(IdentityStore.class);
        identities.addUser("robin", Role.OWNER, "robin-password".toCharArray());
        identities.addUser("kim", Role.MEMBER, "kim-password".toCharArray());
        owner = new ApiClient(hub.httpPort).header("Authorization", "Bearer " + identities.issueToken("robin", "test").secret());
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void anOwnerSeesEveryoneWithTheirRole() throws Exception {
        ApiClient.Answer users = owner.get("/api/v1/users");
        assertThat(users.status()).isEqualTo(200);
        assertThat(users.body().toString()).contains("\"username\":\"kim\"", "\"role\":\"member\"", "\"username\":\"robin\"",
                "\"role\":\"owner\"");
        assertThat(users.body().get(0).path("created").asText()).endsWith("Z");
    }

    @Test
    void aMemberMadeOwnerMayManageAtOnceAndLosesItWhenMadeMemberAgain() throws Exception {
        ApiClient kim = new ApiClient(hub.httpPort).header("Authorization", "Bearer " + identities.issueToken("kim", "phone").secret());
        assertThat(kim.get("/api/v1/users").status()).isEqualTo(403);

        ApiClient.Answer promoted = owner.patch("/api/v1/users/kim", "{\"role\":\"owner\"}");
        assertThat(promoted.status()).isEqualTo(200);
        assertThat(promoted.body().path("role").asText()).isEqualTo("owner");
        assertThat(kim.get("/api/v1/users").status()).as("the same token, now an owner's").isEqualTo(200);

        assertThat(owner.patch("/api/v1/users/kim", "{\"role\":\"member\"}").status()).isEqualTo(200);
        assertThat(kim.get("/api/v1/users").status()).isEqualTo(403);
        assertThat(identities.users()).filteredOn(u -> u.name().equals("kim")).extracting(IdentityStore.User::role)
                .containsExactly(Role.MEMBER);
    }

    @Test
    void theLastOwnerCannotBeMadeAMemberOrDeletedAndTheRefusalSaysWhy() throws Exception {
        for (ApiClient.Answer refused : new ApiClient.Answer[] {
                owner.patch("/api/v1/users/robin", "{\"role\":\"member\"}"), owner.delete("/api/v1/users/robin")}) {
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.contentType()).startsWith("application/problem+json");
            assertThat(refused.body().path("detail").asText())
                    .isEqualTo("The only owner of this home is robin; make someone else an owner first.");
        }
        assertThat(identities.users()).extracting(IdentityStore.User::role).containsExactlyInAnyOrder(Role.OWNER, Role.MEMBER);

        // With a second owner, the first may step down.
        assertThat(owner.patch("/api/v1/users/kim", "{\"role\":\"owner\"}").status()).isEqualTo(200);
        assertThat(owner.patch("/api/v1/users/robin", "{\"role\":\"member\"}").status()).isEqualTo(200);
    }

    @Test
    void aRoleChangeNamesWhatItAcceptsAndAnUnknownPersonIs404() throws Exception {
        ApiClient.Answer wrongRole = owner.patch("/api/v1/users/kim", "{\"role\":\"admin\"}");
        assertThat(wrongRole.status()).isEqualTo(400);
        assertThat(wrongRole.body().path("detail").asText()).contains("{\"role\": \"owner\"}");
        assertThat(owner.patch("/api/v1/users/kim", "{\"role\":\"owner\",\"password\":\"x\"}").status()).isEqualTo(400);
        ApiClient.Answer unknown = owner.patch("/api/v1/users/nobody", "{\"role\":\"owner\"}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.body().path("detail").asText()).contains("nobody");
        assertThat(owner.delete("/api/v1/users/nobody").status()).isEqualTo(404);
    }

    @Test
    void deletingAPersonEndsTheirSessionsTokensAndEventStreamsWithinASecond() throws Exception {
        ApiClient browser = new ApiClient(hub.httpPort, new CookieManager());
        assertThat(browser.post("/api/v1/session", "{\"username\":\"kim\",\"password\":\"kim-password\"}").status()).isEqualTo(200);
        String token = identities.issueToken("kim", "phone").secret();
        ApiClient app = new ApiClient(hub.httpPort).header("Authorization", "Bearer " + token);
        assertThat(browser.get("/api/v1/devices").status()).isEqualTo(200);
        assertThat(app.get("/api/v1/devices").status()).isEqualTo(200);
        CompletableFuture<Integer> streamClosed = new CompletableFuture<>();
        WebSocket events = HttpClient.newHttpClient().newWebSocketBuilder().header("Authorization", "Bearer " + token)
                .buildAsync(URI.create("ws://127.0.0.1:" + hub.httpPort + "/api/v1/events"), new WebSocket.Listener() {
                    @Override
                    public java.util.concurrent.CompletionStage<?> onClose(WebSocket socket, int status, String reason) {
                        streamClosed.complete(status);
                        return null;
                    }
                }).get(10, TimeUnit.SECONDS);
        try {
            long deleted = System.nanoTime();
            assertThat(owner.delete("/api/v1/users/kim").status()).isEqualTo(204);
            assertThat(browser.get("/api/v1/devices").status()).as("the session cookie").isEqualTo(401);
            assertThat(app.get("/api/v1/devices").status()).as("the token").isEqualTo(401);
            assertThat(streamClosed.get(1, TimeUnit.SECONDS)).as("the event stream's close code").isEqualTo(1008);
            assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deleted)).isLessThan(1000);
        } finally {
            events.abort();
        }
        assertThat(browser.post("/api/v1/session", "{\"username\":\"kim\",\"password\":\"kim-password\"}").status())
                .isEqualTo(401);
    }
}
