package io.hearth.web;

import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.auth.Role;
import io.hearth.shadow.RunningShadows;
import io.hearth.web.auth.IdentityStore;
import io.hearth.web.testing.TestHubs;
import io.micronaut.web.router.Router;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Who may call every route the hub serves, taken from Micronaut's router itself: a route added
 * without deciding who may use it fails here, and each route is called over HTTP by nobody, a
 * member and an owner.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class RouteAccessTest {

    enum Who { ANYONE, LOGGED_IN, OWNER }

    /** The rule for each route, as "METHOD template"; HEAD routes, which Micronaut adds for each GET, follow their GET. */
    private static final Map<String, Who> RULES = Map.ofEntries(
            entry("GET /api/v1/health", Who.ANYONE),
            entry("GET /api/v1/onboarding", Who.ANYONE),
            entry("POST /api/v1/onboarding", Who.ANYONE),
            entry("POST /api/v1/session", Who.ANYONE),
            entry("GET /vendor/{+path}", Who.ANYONE),
            entry("GET /api/v1/session", Who.LOGGED_IN),
            entry("DELETE /api/v1/session", Who.LOGGED_IN),
            entry("GET /api/v1/devices", Who.LOGGED_IN),
            entry("GET /api/v1/devices/{id}", Who.LOGGED_IN),
            entry("GET /api/v1/devices/{id}/history", Who.LOGGED_IN),
            entry("GET /api/v1/things/{thing}/shadow", Who.LOGGED_IN),
            entry("POST /api/v1/things/{thing}/shadow", Who.LOGGED_IN),
            entry("GET /api/v1/pairing", Who.LOGGED_IN),
            entry("GET /api/v1/bindings", Who.LOGGED_IN),
            entry("GET /api/v1/tokens", Who.LOGGED_IN),
            entry("DELETE /api/v1/tokens/{id}", Who.LOGGED_IN),
            entry("GET /api/v1/events", Who.LOGGED_IN),
            entry("PATCH /api/v1/devices/{id}", Who.OWNER),
            entry("DELETE /api/v1/devices/{id}", Who.OWNER),
            entry("DELETE /api/v1/things/{thing}/shadow", Who.OWNER),
            entry("POST /api/v1/pairing", Who.OWNER),
            entry("DELETE /api/v1/pairing", Who.OWNER),
            entry("POST /api/v1/tokens", Who.OWNER),
            entry("GET /api/v1/users", Who.OWNER),
            entry("POST /api/v1/users", Who.OWNER),
            entry("PATCH /api/v1/users/{name}", Who.OWNER),
            entry("DELETE /api/v1/users/{name}", Who.OWNER),
            entry("GET /api/v1/credentials", Who.OWNER),
            entry("POST /api/v1/credentials", Who.OWNER),
            entry("DELETE /api/v1/credentials/{thing}", Who.OWNER),
            entry("GET /api/v1/cloud", Who.OWNER),
            entry("GET /api/v1/cloud/devices", Who.OWNER),
            entry("PUT /api/v1/cloud/devices/{id}", Who.OWNER),
            entry("DELETE /api/v1/cloud/devices/{id}", Who.OWNER),
            entry("GET /metrics", Who.OWNER));

    private static RunningShadows hub;
    private static ApiClient member;
    private static ApiClient owner;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHubs.withoutZigbee();
        IdentityStore identities = hub.bean(IdentityStore.class);
        identities.addUser("kim", Role.MEMBER, "kim-password".toCharArray());
        member = new ApiClient(hub.httpPort).header("Authorization", "Bearer " + identities.issueToken("kim", "test").secret());
        owner = ApiClient.owner(hub);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void everyRouteTheHubServesHasARuleHere() {
        Set<String> served = routes().stream().map(RouteAccessTest::ruledAs).collect(Collectors.toSet());
        assertThat(served).as("routes without a rule in this test: decide who may use them")
                .isSubsetOf(RULES.keySet());
        assertThat(RULES.keySet()).as("rules for routes the hub no longer serves").isSubsetOf(served);
    }

    @Test
    void withoutALoginOnlyHealthOnboardingLoggingInAndTheUiLibrariesAnswer() throws Exception {
        ApiClient anonymous = new ApiClient(hub.httpPort);
        for (String route : routes()) {
            ApiClient.Answer answer = call(anonymous, route);
            if (rule(route) == Who.ANYONE) {
                assertThat(answer.status()).as(route).isNotIn(401, 403);
            } else {
                assertThat(answer.status()).as(route).isEqualTo(401);
                assertThat(answer.contentType()).as(route).startsWith(route.startsWith("HEAD ") ? "" : "application/problem+json");
                assertThat(answer.headers().firstValue("WWW-Authenticate")).as(route).hasValue("Bearer realm=\"hearth\"");
            }
        }
    }

    @Test
    void aMemberGets403WithAReasonOnEveryOwnersRouteAndIsLetThroughEverywhereElse() throws Exception {
        for (String route : routes()) {
            ApiClient.Answer answer = call(member, route);
            if (rule(route) == Who.OWNER) {
                assertThat(answer.status()).as(route).isEqualTo(403);
                if (!route.startsWith("HEAD ")) {
                    assertThat(answer.body().path("detail").asText()).as(route).contains("Only an owner");
                }
            } else {
                assertThat(answer.status()).as(route).isNotIn(401, 403);
            }
        }
    }

    @Test
    void anOwnerIsLetThroughEverywhere() throws Exception {
        for (String route : routes()) {
            assertThat(call(owner, route).status()).as(route).isNotIn(401, 403);
        }
    }

    private static String ruledAs(String route) {
        return route.startsWith("HEAD ") && RULES.containsKey("GET " + route.substring(5)) ? "GET " + route.substring(5) : route;
    }

    private static Who rule(String route) {
        return RULES.get(ruledAs(route));
    }

    /** Every route as "METHOD template", from the router the server dispatches with. */
    private static Set<String> routes() {
        return hub.bean(Router.class).uriRoutes()
                .map(route -> route.getHttpMethodName() + " " + route.getUriMatchTemplate().toString())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    /** Calls a route with "x" for each of its variables and an empty JSON object as body. */
    private static ApiClient.Answer call(ApiClient client, String route) throws Exception {
        String method = route.substring(0, route.indexOf(' '));
        String path = route.substring(route.indexOf(' ') + 1).replaceAll("\\{\\?[^}]*}", "").replaceAll("\\{[^}]*}", "x");
        return switch (method) {
            case "GET" -> client.get(path);
            case "HEAD" -> client.head(path);
            case "DELETE" -> client.delete(path);
            case "PATCH" -> client.patch(path, "{}");
            case "PUT" -> client.put(path, "{}");
            case "POST" -> client.post(path, "{}");
            default -> throw new AssertionError("a method this test does not know: " + route);
        };
    }
}
