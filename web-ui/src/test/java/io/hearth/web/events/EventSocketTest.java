package io.hearth.web.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hearth.core.auth.Role;
import io.hearth.shadow.RunningShadows;
import io.hearth.web.auth.IdentityStore;
import io.hearth.web.testing.TestHubs;
import io.hearth.zigbee.ZigbeeBinding;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code /api/v1/events} over a real WebSocket, on a hub running the simulated Zigbee network: who may
 * listen, and the events a change in the home sends.
 */
class EventSocketTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static RunningShadows hub;
    private static String cookie;
    private static String csrf;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHubs.withDemoNetwork();
        hub.bean(IdentityStore.class).addUser("alex", Role.OWNER, "a long enough password".toCharArray());
        HttpResponse<String> login = HTTP.send(HttpRequest.newBuilder(uri("/api/v1/session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"alex\",\"password\":\"a long enough password\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertThat(login.statusCode()).isEqualTo(200);
        StringBuilder cookies = new StringBuilder();
        for (String set : login.headers().allValues("Set-Cookie")) {
            String pair = set.split(";", 2)[0];
            cookies.append(cookies.length() == 0 ? "" : "; ").append(pair);
            if (pair.startsWith("hearth_csrf=")) {
                csrf = pair.substring("hearth_csrf=".length());
            }
        }
        cookie = cookies.toString();
    }

    @AfterAll
    static void stop() {
        if (hub != null) {
            hub.close();
        }
    }

    @Test
    void anUpgradeWithoutALoginIsRefusedWith401() {
        assertThatThrownBy(() -> EventStream.open(hub.httpPort, null, null).close())
                .isInstanceOf(ExecutionException.class)
                .cause().isInstanceOf(WebSocketHandshakeException.class)
                .satisfies(e -> assertThat(((WebSocketHandshakeException) e).getResponse().statusCode()).isEqualTo(401));
    }

    @Test
    void aLoggedInBrowserHearsADeviceJoinSwitchLeaveAndTheOthersGoOfflineWithTheAdapter() throws Exception {
        String bulb = TestHubs.NEW_BULB.value();
        String lamp = TestHubs.LAMP.value();
        try (EventStream events = EventStream.open(hub.httpPort, "Cookie", cookie)) {
            events.await(e -> type(e, "hello"), "hello");

            assertThat(send("POST", "/api/v1/pairing", "{\"binding\":\"zigbee\",\"seconds\":60}").statusCode()).isEqualTo(200);
            events.await(e -> type(e, "pairing") && e.path("binding").asText().equals("zigbee") && e.path("open").asBoolean(),
                    "pairing open");
            // The description and the pairing window's list of newcomers may come in either order.
            java.util.Set<String> heard = new java.util.HashSet<>();
            events.await(e -> {
                if (type(e, "device") && e.path("device").path("id").asText().equals(bulb)
                        && e.path("device").path("name").asText().equals("New bulb")) {
                    heard.add("described");
                }
                if (type(e, "pairing") && e.path("joined").toString().contains(bulb)) {
                    heard.add("joined");
                }
                return heard.size() == 2;
            }, "the new bulb described and among the joined");
            send("DELETE", "/api/v1/pairing?binding=zigbee", null);
            events.await(e -> type(e, "pairing") && !e.path("open").asBoolean(), "pairing closed");

            boolean wasOn = JSON.readTree(send("GET", "/api/v1/devices/" + lamp, null).body()).path("reported").path("on")
                    .asBoolean();
            HttpResponse<String> switched = send("POST", "/api/v1/things/" + lamp + "/shadow",
                    "{\"state\":{\"desired\":{\"on\":" + !wasOn + "}}}");
            assertThat(switched.statusCode()).isEqualTo(200);
            events.await(e -> type(e, "state") && e.path("id").asText().equals(lamp)
                    && e.path("desired").path("on").isBoolean() && e.path("desired").path("on").asBoolean() != wasOn,
                    "lamp desired switched");
            events.await(e -> type(e, "state") && e.path("id").asText().equals(lamp)
                    && e.path("reported").path("on").asBoolean() != wasOn && e.path("desired").isEmpty(),
                    "the lamp reports it switched");

            assertThat(send("DELETE", "/api/v1/devices/" + bulb, null).statusCode()).isEqualTo(204);
            events.await(e -> type(e, "removed") && e.path("id").asText().equals(bulb), "the bulb removed");

            hub.bean(ZigbeeBinding.class).simulator().orElseThrow().failDongle();
            events.await(e -> type(e, "availability") && e.path("id").asText().equals(lamp)
                    && e.path("online").isBoolean() && !e.path("online").asBoolean(), "the lamp offline");
        }
    }

    @Test
    void anAppWithATokenHearsAPairingWindowCountDown() throws Exception {
        String token = hub.bean(IdentityStore.class).issueToken("alex", "events test").secret();
        try (EventStream events = EventStream.open(hub.httpPort, "Authorization", "Bearer " + token)) {
            events.await(e -> type(e, "hello"), "hello");
            HttpResponse<String> opened = HTTP.send(HttpRequest.newBuilder(uri("/api/v1/pairing"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"binding\":\"serial\",\"seconds\":30}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(opened.statusCode()).isEqualTo(200);
            events.await(e -> type(e, "pairing") && e.path("open").asBoolean()
                    && e.path("secondsLeft").asLong() > 0 && e.path("joined").isArray(), "pairing open");
            HTTP.send(HttpRequest.newBuilder(uri("/api/v1/pairing?binding=serial")).header("Authorization", "Bearer " + token)
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            events.await(e -> type(e, "pairing") && !e.path("open").asBoolean(), "pairing closed");
        }
    }

    private static boolean type(JsonNode event, String type) {
        return event.path("type").asText().equals(type);
    }

    /** A request as the logged-in browser makes it: session cookie, and the CSRF header when it changes something. */
    private static HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(uri(path)).header("Cookie", cookie).header("X-Hearth-CSRF", csrf)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (body != null) {
            request.header("Content-Type", "application/json");
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + hub.httpPort + path);
    }
}
