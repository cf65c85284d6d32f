package io.hearth.shadow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Accepted shadow changes are in the database when they are answered, and come back after a restart. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShadowDurabilityTest {

    @Test
    void everyAcceptedVersionAndDeletionComesBackAfterARestart() throws Exception {
        RunningShadows hub = RunningShadows.start();
        try {
            try (ShadowClient device = new ShadowClient(hub.mqttPort, "durable")) {
                for (int i = 1; i <= 50; i++) {
                    device.publish("$aws/things/thing-" + (i % 5) + "/shadow/update",
                            ("{\"state\":{\"reported\":{\"n\":" + i + "}}}").getBytes());
                }
                device.request("$aws/things/thing-0/shadow/name/extra/update", "{\"state\":{\"desired\":{\"a\":[1,2]}}}");
                device.request("$aws/things/thing-0/shadow/name/extra/delete", "");
                device.request("$aws/things/thing-4/shadow/update", "{\"state\":{\"desired\":{\"n\":99}}}");
            }
            hub = hub.restart();
            try (ShadowClient device = new ShadowClient(hub.mqttPort, "durable")) {
                for (int thing = 0; thing < 5; thing++) {
                    JsonNode document = device.request("$aws/things/thing-" + thing + "/shadow/get", "").body();
                    assertThat(document.path("version").asLong()).isEqualTo(thing == 4 ? 11 : 10);
                    assertThat(document.path("state").path("reported").path("n").asInt()).isEqualTo(thing == 0 ? 50 : 45 + thing);
                }
                assertThat(device.request("$aws/things/thing-4/shadow/get", "").body().path("state").path("delta").path("n").asInt())
                        .isEqualTo(99);
                assertThat(device.request("$aws/things/thing-0/shadow/name/extra/get", "").code()).isEqualTo(404);
                assertThat(device.request("$aws/things/thing-0/shadow/name/extra/update", "{\"state\":{\"desired\":{}}}")
                        .body().path("version").asLong()).isEqualTo(2);
            }
        } finally {
            hub.close();
        }
    }
}
