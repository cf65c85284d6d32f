package io.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.auth.Role;
import io.hearth.shadow.RunningShadows;
import io.hearth.web.testing.TestHubs;
import io.hearth.web.auth.IdentityStore;
import java.net.CookieManager;
import java.net.HttpCookie;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Onboarding, sessions, CSRF, tokens, and owner-versus-member rights on every route, over real HTTP. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ApiAccessTest {

    private RunningShadows hub;

    @BeforeEach
    void start() throws Exception {
        hub = TestHubs.withoutZigbee();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    @Test
    void healthAndOnboardingAnswerWithoutALoginAndAMadeUpTokenIsNoLogin() throws Exception {
        ApiClient anonymous = new ApiClient(hub.httpPort);
        assertThat(anonymous.get("/api/v1/health").status()).isEqualTo(200);
        assertThat(anonymous.get("/api/v1/onboarding").body().path("needed").asBoolean()).isTrue();
        assertThat(anonymous.header("Authorization", "Bearer hth_made-up").get("/api/v1/devices").status()).isEqualTo(401);
    }

    @Test
    void onboardingCreatesTheFirstOwnerOnceAndLogsThemInWithSafeCookies() throws Exception {
        CookieManager cookies = new CookieManager();
        ApiClient browser = new ApiClient(hub.httpPort, cookies);
        ApiClient.Answer weak = browser.post("/api/v1/onboarding", "{\"username\":\"alice\",\"password\":\"short\"}");
        assertThat(weak.status()).isEqualTo(400);
        assertThat(weak.body().path("detail").asText()).isEqualTo("A password needs at least 8 characters.");

        ApiClient.Answer created = browser.post("/api/v1/onboarding", "{\"username\":\"alice\",\"password\":\"alice-password\"}");
        assertThat(created.status()).isEqualTo(201);
        List<String> setCookies = created.headers().allValues("set-cookie");
        assertThat(setCookies).anySatisfy(c -> assertThat(c).startsWith("hearth_session=").containsIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict"));
        assertThat(setCookies).anySatisfy(c -> assertThat(c).startsWith("hearth_csrf=").doesNotContainIgnoringCase("HttpOnly")
                .containsIgnoringCase("SameSite=Strict"));
        assertThat(browser.get("/api/v1/session").body().path("role").asText()).isEqualTo("owner");

        ApiClient.Answer again = new ApiClient(hub.httpPort).post("/api/v1/onboarding",
                "{\"username\":\"mallory\",\"password\":\"mallory-password\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(hub.bean(IdentityStore.class).users()).extracting(IdentityStore.User::name).containsExactly("alice");
    }

    @Test
    void aSessionCookieAloneCannotChangeStateWithoutTheCsrfHeader() throws Exception {
        hub.bean(IdentityStore.class).addUser("alice", Role.OWNER, "alice-password".toCharArray());
        CookieManager cookies = new CookieManager();
        ApiClient browser = new ApiClient(hub.httpPort, cookies);
        assertThat(browser.post("/api/v1/session", "{\"username\":\"alice\",\"password\":\"alice-password\"}").status())
                .isEqualTo(200);
        String update = "{\"state\":{\"desired\":{\"on\":true}}}";
        ApiClient.Answer forged = browser.post("/api/v1/things/lamp/shadow", update);
        assertThat(forged.status()).isEqualTo(403);
        assertThat(forged.body().path("detail").asText()).contains("X-Hearth-CSRF");
        assertThat(browser.get("/api/v1/devices").status()).as("reading needs no CSRF header").isEqualTo(200);

        String csrf = cookies.getCookieStore().getCookies().stream().filter(c -> c.getName().equals("hearth_csrf"))
                .map(HttpCookie::getValue).findFirst().orElseThrow();
        assertThat(browser.header("X-Hearth-CSRF", "wrong").post("/api/v1/things/lamp/shadow", update).status()).isEqualTo(403);
        assertThat(browser.header("X-Hearth-CSRF", csrf).post("/api/v1/things/lamp/shadow", update).status()).isEqualTo(200);

        assertThat(browser.delete("/api/v1/session").status()).isEqualTo(204);
        assertThat(browser.get("/api/v1/devices").status()).isEqualTo(401);
    }

    @Test
    void membersViewAndControlDevices() throws Exception {
        IdentityStore identities = hub.bean(IdentityStore.class);
        identities.addUser("bob", Role.MEMBER, "bob-password".toCharArray());
        ApiClient member = new ApiClient(hub.httpPort).header("Authorization",
                "Bearer " + identities.issueToken("bob", "phone").secret());
        assertThat(member.get("/api/v1/devices").status()).isEqualTo(200);
        assertThat(member.post("/api/v1/things/lamp/shadow", "{\"state\":{\"desired\":{\"on\":true}}}").status()).isEqualTo(200);
        assertThat(member.get("/api/v1/users").status()).isEqualTo(403);
    }

    @Test
    void tokensAreShownOnceWorkAsBearerAndStopWorkingWhenRevoked() throws Exception {
        ApiClient owner = ApiClient.owner(hub);
        ApiClient.Answer issued = owner.post("/api/v1/tokens", "{\"label\":\"home assistant\"}");
        assertThat(issued.status()).isEqualTo(201);
        String token = issued.body().path("token").asText();
        assertThat(token).startsWith("hth_");
        ApiClient app = new ApiClient(hub.httpPort).header("Authorization", "Bearer " + token);
        assertThat(app.get("/api/v1/devices").status()).isEqualTo(200);
        assertThat(owner.get("/api/v1/tokens").body().toString()).contains("home assistant").doesNotContain(token);
        assertThat(owner.delete("/api/v1/tokens/" + issued.body().path("id").asText()).status()).isEqualTo(204);
        assertThat(app.get("/api/v1/devices").status()).isEqualTo(401);
    }

    @Test
    void guessingPasswordsIsThrottledWith429() throws Exception {
        hub.bean(IdentityStore.class).addUser("alice", Role.OWNER, "alice-password".toCharArray());
        ApiClient guesser = new ApiClient(hub.httpPort);
        int status = 0;
        for (int i = 0; i < 8 && status != 429; i++) {
            status = guesser.post("/api/v1/session", "{\"username\":\"alice\",\"password\":\"guess-" + i + "\"}").status();
        }
        assertThat(status).isEqualTo(429);
        assertThat(guesser.post("/api/v1/session", "{\"username\":\"alice\",\"password\":\"alice-password\"}").status())
                .as("even the right password waits").isEqualTo(429);
    }

    @Test
    void guessingManyNamesFromOneAddressIsThrottledToo() throws Exception {
        hub.bean(IdentityStore.class).addUser("alice", Role.OWNER, "alice-password".toCharArray());
        ApiClient guesser = new ApiClient(hub.httpPort);
        int status = 0;
        int tries = 0;
        // Each name fails only once, far below its own limit; the address runs out first.
        while (tries < 30 && status != 429) {
            status = guesser.post("/api/v1/session", "{\"username\":\"user" + tries + "\",\"password\":\"guess\"}").status();
            tries++;
        }
        assertThat(status).isEqualTo(429);
        assertThat(tries).as("twenty failures are free, the next one locks the address").isEqualTo(22);
        ApiClient.Answer refused = guesser.post("/api/v1/session", "{\"username\":\"alice\",\"password\":\"alice-password\"}");
        assertThat(refused.status()).as("a real name from the same address waits as well").isEqualTo(429);
        assertThat(refused.body().path("detail").asText()).matches("Too many failed logins; try again in \\d+ s\\.");
    }

    @Test
    void everyResponseOfTheUiAndTheApiCarriesTheSecurityHeaders() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        for (String path : List.of("/", "/index.html", "/ui/app.js", "/ui/app.css", "/vendor/lit/index.js", "/api/v1/health",
                "/api/v1/devices", "/no-such-page")) {
            java.net.http.HttpResponse<String> response = http.send(java.net.http.HttpRequest.newBuilder(
                    java.net.URI.create("http://127.0.0.1:" + hub.httpPort + path)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertThat(response.headers().firstValue("content-security-policy")).as(path).hasValueSatisfying(csp ->
                    assertThat(csp).contains("default-src 'self'", "script-src 'self'", "frame-ancestors 'none'",
                            "object-src 'none'").doesNotContain("unsafe-inline", "unsafe-eval"));
            assertThat(response.headers().firstValue("x-content-type-options")).as(path).hasValue("nosniff");
            assertThat(response.headers().firstValue("x-frame-options")).as(path).hasValue("DENY");
            assertThat(response.headers().firstValue("referrer-policy")).as(path).hasValue("no-referrer");
            if (path.equals("/")) {
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).doesNotContain("<script>").doesNotContain("<style>").doesNotContain(" style=");
            }
        }
    }
}
