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

    /** Every route of the API that needs a login, with a method that reaches it. */
    private static final List<String[]> PROTECTED = List.of(
            new String[] {"GET", "/api/v1/devices"}, new String[] {"GET", "/api/v1/devices/x"},
            new String[] {"PATCH", "/api/v1/devices/x"}, new String[] {"DELETE", "/api/v1/devices/x"},
            new String[] {"GET", "/api/v1/devices/x/history?property=on"},
            new String[] {"GET", "/api/v1/things/x/shadow"}, new String[] {"POST", "/api/v1/things/x/shadow"},
            new String[] {"DELETE", "/api/v1/things/x/shadow"}, new String[] {"GET", "/api/v1/session"},
            new String[] {"DELETE", "/api/v1/session"}, new String[] {"POST", "/api/v1/tokens"},
            new String[] {"GET", "/api/v1/tokens"}, new String[] {"GET", "/api/v1/users"},
            new String[] {"POST", "/api/v1/users"}, new String[] {"DELETE", "/api/v1/users/x"},
            new String[] {"GET", "/api/v1/credentials"}, new String[] {"POST", "/api/v1/credentials"},
            new String[] {"DELETE", "/api/v1/credentials/x"}, new String[] {"GET", "/api/v1/pairing"},
            new String[] {"POST", "/api/v1/pairing"}, new String[] {"DELETE", "/api/v1/pairing"},
            new String[] {"GET", "/api/v1/cloud"}, new String[] {"GET", "/metrics"});

    /** Routes a member may not use, though logged in. */
    private static final List<String[]> OWNERS_ONLY = List.of(
            new String[] {"PATCH", "/api/v1/devices/x"}, new String[] {"DELETE", "/api/v1/devices/x"},
            new String[] {"DELETE", "/api/v1/things/x/shadow"}, new String[] {"POST", "/api/v1/tokens"},
            new String[] {"GET", "/api/v1/users"}, new String[] {"POST", "/api/v1/users"},
            new String[] {"DELETE", "/api/v1/users/x"}, new String[] {"GET", "/api/v1/credentials"},
            new String[] {"POST", "/api/v1/credentials"}, new String[] {"DELETE", "/api/v1/credentials/x"},
            new String[] {"POST", "/api/v1/pairing"}, new String[] {"DELETE", "/api/v1/pairing"},
            new String[] {"GET", "/api/v1/cloud"}, new String[] {"GET", "/metrics"});

    private RunningShadows hub;

    @BeforeEach
    void start() throws Exception {
        hub = TestHubs.withoutZigbee();
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private ApiClient.Answer call(ApiClient client, String[] route) throws Exception {
        return switch (route[0]) {
            case "GET" -> client.get(route[1]);
            case "DELETE" -> client.delete(route[1]);
            case "PATCH" -> client.patch(route[1], "{}");
            default -> client.post(route[1], "{}");
        };
    }

    @Test
    void everyApiRouteButHealthLoginAndOnboardingAnswers401WithoutALogin() throws Exception {
        ApiClient anonymous = new ApiClient(hub.httpPort);
        for (String[] route : PROTECTED) {
            ApiClient.Answer answer = call(anonymous, route);
            assertThat(answer.status()).as(route[0] + " " + route[1]).isEqualTo(401);
            assertThat(answer.contentType()).startsWith("application/problem+json");
        }
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
    void membersControlDevicesButGet403OnEverythingOwnersManage() throws Exception {
        IdentityStore identities = hub.bean(IdentityStore.class);
        identities.addUser("bob", Role.MEMBER, "bob-password".toCharArray());
        ApiClient member = new ApiClient(hub.httpPort).header("Authorization",
                "Bearer " + identities.issueToken("bob", "phone").secret());
        for (String[] route : OWNERS_ONLY) {
            assertThat(call(member, route).status()).as(route[0] + " " + route[1]).isEqualTo(403);
        }
        assertThat(member.get("/api/v1/devices").status()).isEqualTo(200);
        assertThat(member.post("/api/v1/things/lamp/shadow", "{\"state\":{\"desired\":{\"on\":true}}}").status()).isEqualTo(200);

        ApiClient owner = ApiClient.owner(hub);
        for (String[] route : OWNERS_ONLY) {
            assertThat(call(owner, route).status()).as(route[0] + " " + route[1]).isNotIn(401, 403);
        }
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
    void theUiIsServedWithACspWithoutInlineScriptsAndAntiFramingHeaders() throws Exception {
        java.net.http.HttpResponse<String> page = java.net.http.HttpClient.newHttpClient().send(
                java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + hub.httpPort + "/index.html")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(page.statusCode()).isEqualTo(200);
        assertThat(page.headers().firstValue("content-security-policy").orElseThrow())
                .contains("script-src 'self'").doesNotContain("unsafe-inline").contains("frame-ancestors 'none'");
        assertThat(page.headers().firstValue("x-content-type-options")).hasValue("nosniff");
        assertThat(page.headers().firstValue("x-frame-options")).hasValue("DENY");
        assertThat(page.body()).doesNotContain("<script>").doesNotContain("<style>");
    }
}
