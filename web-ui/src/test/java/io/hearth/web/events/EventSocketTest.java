package io.hearth.web.events;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.core.auth.Role;
import io.hearth.shadow.RunningShadows;
import io.hearth.web.auth.IdentityStore;
import io.hearth.web.emulator.DeviceEmulator;
import io.hearth.web.emulator.EmulatedDevice;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.WebSocketHandshakeException;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** {@code /api/v1/events} over a real WebSocket: who may listen, and the events a change in the home sends. */
class EventSocketTest {

    private static RunningShadows hub;
    private static DeviceEmulator network;
    private static String cookie;
    private static String csrf;
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @BeforeAll
    static void start() throws Exception {
        hub = RunningShadows.start();
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
        network = DeviceEmulator.connect(hub.mqttPort);
    }

    @AfterAll
    static void stop() throws Exception {
        if (network != null) {
            network.close();
        }
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
    void aLoggedInBrowserHearsDevicesJoinReportChangeAvailabilityAndLeave() throws Exception {
        try (EventStream events = EventStream.open(hub.httpPort, "Cookie", cookie)) {
            events.await(e -> e.path("type").asText().equals("hello"), "hello");
            String lamp = EmulatedDevice.LAMP.id();
            network.add(EmulatedDevice.LAMP);
            events.await(e -> e.path("type").asText().equals("device") && e.path("device").path("id").asText().equals(lamp)
                    && e.path("device").path("capabilities").size() == 3
                    && e.path("device").path("name").asText().equals("Living room lamp"), "lamp added");

            HttpResponse<String> switched = HTTP.send(HttpRequest.newBuilder(uri("/api/v1/things/" + lamp + "/shadow"))
                    .header("Content-Type", "application/json").header("Cookie", cookie).header("X-Hearth-CSRF", csrf)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"state\":{\"desired\":{\"on\":true}}}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(switched.statusCode()).isEqualTo(200);
            events.await(e -> e.path("type").asText().equals("state") && e.path("id").asText().equals(lamp)
                    && e.path("desired").path("on").asBoolean(false), "lamp desired on");
            events.await(e -> e.path("type").asText().equals("state") && e.path("id").asText().equals(lamp)
                    && e.path("reported").path("on").asBoolean(false) && e.path("desired").isEmpty(), "lamp reported on");

            network.offline(lamp);
            events.await(e -> e.path("type").asText().equals("availability") && e.path("id").asText().equals(lamp)
                    && e.path("online").isBoolean() && !e.path("online").asBoolean(), "lamp offline");

            HttpResponse<String> removed = HTTP.send(HttpRequest.newBuilder(uri("/api/v1/devices/" + lamp))
                    .header("Cookie", cookie).header("X-Hearth-CSRF", csrf).DELETE().build(), HttpResponse.BodyHandlers.ofString());
            assertThat(removed.statusCode()).isEqualTo(204);
            events.await(e -> e.path("type").asText().equals("removed") && e.path("id").asText().equals(lamp), "lamp removed");
        }
    }

    @Test
    void anAppWithATokenHearsAPairingWindowCountDown() throws Exception {
        String token = hub.bean(IdentityStore.class).issueToken("alex", "events test").secret();
        try (EventStream events = EventStream.open(hub.httpPort, "Authorization", "Bearer " + token)) {
            events.await(e -> e.path("type").asText().equals("hello"), "hello");
            HttpResponse<String> opened = HTTP.send(HttpRequest.newBuilder(uri("/api/v1/pairing"))
                    .header("Content-Type", "application/json").header("Authorization", "Bearer " + token)
                    .POST(HttpRequest.BodyPublishers.ofString("{\"binding\":\"serial\",\"seconds\":30}")).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(opened.statusCode()).isEqualTo(200);
            events.await(e -> e.path("type").asText().equals("pairing") && e.path("open").asBoolean()
                    && e.path("secondsLeft").asLong() > 0 && e.path("joined").isArray(), "pairing open");
            HTTP.send(HttpRequest.newBuilder(uri("/api/v1/pairing?binding=serial")).header("Authorization", "Bearer " + token)
                    .DELETE().build(), HttpResponse.BodyHandlers.ofString());
            events.await(e -> e.path("type").asText().equals("pairing") && !e.path("open").asBoolean(), "pairing closed");
        }
    }

    private static URI uri(String path) {
        return URI.create("http://127.0.0.1:" + hub.httpPort + path);
    }
}
