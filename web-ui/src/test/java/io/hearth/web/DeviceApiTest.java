package io.hearth.web;

import static io.hearth.web.ApiClient.json;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import io.hearth.shadow.RunningShadows;
import io.hearth.web.testing.TestHubs;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /api/v1/devices}: listing with state, renaming, history and removal, refusals as problem JSON. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DeviceApiTest {

    /** A sensor that speaks MQTT itself, so no binding is asked when it is removed. */
    private static final String CLIMATE = "hallway-climate";

    private RunningShadows hub;
    private ApiClient api;
    private Mqtt5BlockingClient device;

    @BeforeEach
    void start() throws Exception {
        hub = TestHubs.withoutZigbee();
        api = ApiClient.owner(hub);
        device = Mqtt5Client.builder().identifier("climate").serverHost("127.0.0.1").serverPort(hub.mqttPort).buildBlocking();
        device.connect();
        publish("hearth/devices/" + CLIMATE + "/info", "{\"name\":\"Hallway climate\",\"capabilities\":["
                + "{\"key\":\"temperature\",\"type\":\"number\",\"unit\":\"°C\",\"access\":\"read\"},"
                + "{\"key\":\"humidity\",\"type\":\"number\",\"unit\":\"%\",\"min\":0,\"max\":100,\"access\":\"read\"}]}", true);
        publish("hearth/devices/" + CLIMATE + "/availability", "online", true);
        publish("$aws/things/" + CLIMATE + "/shadow/update", "{\"state\":{\"reported\":{\"temperature\":21.5,\"humidity\":40}}}", false);
        publish("$aws/things/" + CLIMATE + "/shadow/update", "{\"state\":{\"reported\":{\"temperature\":22}}}", false);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!api.get("/api/v1/devices/" + CLIMATE).body().path("reported").path("temperature").asText().equals("22")
                || !api.get("/api/v1/devices/" + CLIMATE).body().path("online").asBoolean()) {
            assertThat(System.nanoTime()).as("device state arrives").isLessThan(deadline);
            Thread.sleep(20);
        }
    }

    @AfterEach
    void stop() {
        device.disconnect();
        hub.close();
    }

    private void publish(String topic, String payload, boolean retain) {
        device.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain)
                .payload(payload.getBytes(StandardCharsets.UTF_8)).send();
    }

    @Test
    void theListShowsEveryFieldOfTheContractWithStateAndCapabilities() throws Exception {
        ApiClient.Answer answer = api.get("/api/v1/devices");
        assertThat(answer.status()).isEqualTo(200);
        JsonNode climate = answer.body().get(0);
        assertThat(climate.path("id").asText()).isEqualTo(CLIMATE);
        assertThat(climate.path("name").asText()).isEqualTo("Hallway climate");
        assertThat(climate.has("room")).isTrue();
        assertThat(climate.has("binding")).isTrue();
        assertThat(climate.path("binding").isNull()).as("no binding for a device that speaks MQTT").isTrue();
        assertThat(climate.path("online").asBoolean()).isTrue();
        assertThat(climate.path("lastSeen").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(climate.path("capabilities").get(1)).isEqualTo(
                json("{\"key\":\"humidity\",\"type\":\"number\",\"unit\":\"%\",\"min\":0.0,\"max\":100.0,\"access\":\"read\"}"));
        assertThat(climate.path("reported")).isEqualTo(json("{\"temperature\":22,\"humidity\":40}"));
        assertThat(climate.path("desired")).isEqualTo(json("{}"));
    }

    @Test
    void patchRenamesAndPlacesTheDeviceAndRefusesOtherFields() throws Exception {
        ApiClient.Answer renamed = api.patch("/api/v1/devices/" + CLIMATE, "{\"name\":\"Hall sensor\",\"room\":\"Hall\"}");
        assertThat(renamed.status()).isEqualTo(200);
        assertThat(renamed.body().path("name").asText()).isEqualTo("Hall sensor");
        assertThat(renamed.body().path("room").asText()).isEqualTo("Hall");

        ApiClient.Answer refused = api.patch("/api/v1/devices/" + CLIMATE, "{\"binding\":\"serial\"}");
        assertThat(refused.status()).isEqualTo(400);
        assertThat(refused.contentType()).startsWith("application/problem+json");
        assertThat(refused.body().path("detail").asText()).contains("\"binding\" cannot be changed");
        ApiClient.Answer tooLong = api.patch("/api/v1/devices/" + CLIMATE, "{\"name\":\"" + "n".repeat(101) + "\"}");
        assertThat(tooLong.status()).isEqualTo(400);
        assertThat(tooLong.body().path("detail").asText()).isEqualTo("name must be at most 100 characters");
    }

    @Test
    void historyListsTheReportedValuesOldestFirst() throws Exception {
        ApiClient.Answer history = api.get("/api/v1/devices/" + CLIMATE + "/history?property=temperature&since=2020-01-01T00:00:00Z");
        assertThat(history.status()).isEqualTo(200);
        assertThat(history.body()).hasSize(2);
        assertThat(history.body().get(0).path("v").asDouble()).isEqualTo(21.5);
        assertThat(history.body().get(1).path("v").asDouble()).isEqualTo(22.0);
        assertThat(history.body().get(0).path("t").asText()).endsWith("Z");

        assertThat(api.get("/api/v1/devices/" + CLIMATE + "/history").status()).isEqualTo(400);
        ApiClient.Answer badSince = api.get("/api/v1/devices/" + CLIMATE + "/history?property=humidity&since=yesterday");
        assertThat(badSince.status()).isEqualTo(400);
        assertThat(badSince.body().path("detail").asText()).contains("ISO-8601");
    }

    @Test
    void anUnknownDeviceIs404ProblemJsonAndDeleteRemovesAKnownOne() throws Exception {
        ApiClient.Answer unknown = api.get("/api/v1/devices/no-such-device");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.body().path("detail").asText()).contains("no-such-device");

        assertThat(api.delete("/api/v1/devices/" + CLIMATE).status()).isEqualTo(204);
        assertThat(api.get("/api/v1/devices/" + CLIMATE).status()).isEqualTo(404);
        assertThat(api.get("/api/v1/things/" + CLIMATE + "/shadow").status()).isEqualTo(404);
        assertThat(api.delete("/api/v1/devices/" + CLIMATE).status()).isEqualTo(404);
    }
}
