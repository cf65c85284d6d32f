package io.hearth.web;

import static io.hearth.web.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.hearth.shadow.RunningShadows;
import io.hearth.web.testing.TestHubs;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The shadow API over HTTP answers with the same bodies and codes as over MQTT, and announces changes on MQTT. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShadowHttpTest {

    private static RunningShadows hub;
    private static ApiClient api;

    @BeforeAll
    static void start() throws Exception {
        hub = TestHubs.withoutZigbee();
        api = ApiClient.owner(hub);
    }

    @AfterAll
    static void stop() {
        hub.close();
    }

    @Test
    void getOfAMissingShadowIs404WithTheShadowErrorBody() throws Exception {
        ApiClient.Answer answer = api.get("/api/v1/things/nobody/shadow");
        assertThat(answer.status()).isEqualTo(404);
        assertThat(answer.contentType()).startsWith("application/json");
        assertThat(answer.body().path("code").asInt()).isEqualTo(404);
        assertThat(answer.body().path("message").asText()).isEqualTo("No shadow exists with name: 'nobody'");
    }

    @Test
    void postUpdatesAndAnswersWithTheAcceptedDocumentThenGetShowsIt() throws Exception {
        ApiClient.Answer accepted = api.post("/api/v1/things/kitchen-plug/shadow",
                "{\"state\":{\"desired\":{\"on\":true}},\"clientToken\":\"http-1\"}");
        assertThat(accepted.status()).isEqualTo(200);
        assertThat(accepted.body().path("version").asLong()).isEqualTo(1);
        assertThat(accepted.body().path("clientToken").asText()).isEqualTo("http-1");
        assertThat(accepted.body().path("metadata").path("desired").path("on").has("timestamp")).isTrue();

        JsonNode document = api.get("/api/v1/things/kitchen-plug/shadow").body();
        assertThat(document.path("state").path("desired")).isEqualTo(json("{\"on\":true}"));
        assertThat(document.path("state").path("delta")).isEqualTo(json("{\"on\":true}"));
    }

    @Test
    void refusalsCarryTheSameCodesAndMessagesAsOverMqtt() throws Exception {
        assertRefused(api.post("/api/v1/things/plug-x/shadow", "{oops"), 400, "Invalid JSON");
        assertRefused(api.post("/api/v1/things/plug-x/shadow", "{\"state\":{\"delta\":{}}}"), 400,
                "State contains an invalid node");
        api.post("/api/v1/things/plug-x/shadow", "{\"state\":{\"reported\":{\"on\":false}}}");
        assertRefused(api.post("/api/v1/things/plug-x/shadow", "{\"state\":{\"reported\":{\"on\":true}},\"version\":9}"), 409,
                "Version conflict");
        assertRefused(api.post("/api/v1/things/plug-x/shadow",
                "{\"state\":{\"reported\":{\"big\":\"" + "y".repeat(9_000) + "\"}}}"), 413,
                "The payload exceeds the maximum size allowed");
        ApiClient.Answer badName = api.get("/api/v1/things/plug-x/shadow?name=no%20spaces");
        assertThat(badName.status()).isEqualTo(400);
        assertThat(badName.body().path("message").asText()).startsWith("Invalid shadow name");
    }

    @Test
    void namedShadowsAreAddressedWithTheNameParameterAndDeleteAnswersWithTheVersion() throws Exception {
        String path = "/api/v1/things/hall-motion/shadow?name=settings";
        assertThat(api.post(path, "{\"state\":{\"desired\":{\"sensitivity\":3}}}").status()).isEqualTo(200);
        assertThat(api.get("/api/v1/things/hall-motion/shadow").status()).isEqualTo(404);
        ApiClient.Answer deleted = api.delete(path);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.body().path("version").asLong()).isEqualTo(1);
        assertThat(api.get(path).status()).isEqualTo(404);
        assertThat(api.delete(path).status()).isEqualTo(404);
    }

    @Test
    void anUpdateMadeOverHttpIsAnnouncedOnMqttSoDevicesSeeTheDelta() throws Exception {
        Mqtt5BlockingClient device = Mqtt5Client.builder().identifier("lamp-device").serverHost("127.0.0.1")
                .serverPort(hub.mqttPort).buildBlocking();
        device.connect();
        try (Mqtt5BlockingClient.Mqtt5Publishes publishes = device.publishes(MqttGlobalPublishFilter.SUBSCRIBED)) {
            device.subscribeWith().topicFilter("$aws/things/desk-lamp/shadow/update/delta").qos(MqttQos.AT_LEAST_ONCE).send();
            api.post("/api/v1/things/desk-lamp/shadow", "{\"state\":{\"desired\":{\"brightness\":65}}}");
            JsonNode delta = ApiClient.json(new String(publishes.receive(10, TimeUnit.SECONDS).orElseThrow().getPayloadAsBytes()));
            assertThat(delta.path("state")).isEqualTo(json("{\"brightness\":65}"));
        } finally {
            device.disconnect();
        }
    }

    private static void assertRefused(ApiClient.Answer answer, int status, String message) {
        assertThat(answer.status()).isEqualTo(status);
        assertThat(answer.body().path("code").asInt()).isEqualTo(status);
        assertThat(answer.body().path("message").asText()).isEqualTo(message);
        assertThat(answer.body().path("timestamp").isIntegralNumber()).isTrue();
    }
}
