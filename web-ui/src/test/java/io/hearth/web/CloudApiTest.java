package io.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.core.testing.FreePorts;
import io.hearth.shadow.RunningShadows;
import io.hearth.web.testing.TestHubs;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code GET /api/v1/cloud} over the real cloud link: not set up, unreachable, and connected to an upstream broker. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class CloudApiTest {

    @Test
    void aHubWithoutTheCloudLinkSaysItIsNotEnabledAndNamesNoUpstream() throws Exception {
        try (RunningShadows hub = TestHubs.withoutZigbee()) {
            JsonNode cloud = ApiClient.owner(hub).get("/api/v1/cloud").body();
            assertThat(cloud.path("enabled").asBoolean()).isFalse();
            assertThat(cloud.path("connected").asBoolean()).isFalse();
            assertThat(cloud.has("queued")).isTrue();
            assertThat(cloud.has("upstream")).isFalse();
        }
    }

    @Test
    void anUnreachableCloudIsShownWithItsAddressAndWhatWentWrong() throws Exception {
        String url = "tcp://127.0.0.1:" + FreePorts.next();
        try (RunningShadows hub = TestHubs.withoutZigbee(config -> TestHubs.withCloud(config, url, "test-home"))) {
            JsonNode cloud = await(ApiClient.owner(hub), c -> !c.path("lastError").isNull(), "a last error");
            assertThat(cloud.path("enabled").asBoolean()).isTrue();
            assertThat(cloud.path("connected").asBoolean()).isFalse();
            assertThat(cloud.path("upstream").asText()).isEqualTo(url);
            assertThat(cloud.path("thingName").asText()).isEqualTo("test-home");
            assertThat(cloud.path("mode").asText()).isEqualTo("broker");
            assertThat(cloud.path("lastError").asText()).contains("127.0.0.1").doesNotContain("Exception");
        }
    }

    @Test
    void aConnectedCloudSaysSinceWhenAndHowManyChangesWait() throws Exception {
        try (RunningShadows upstream = TestHubs.withoutZigbee();
             RunningShadows hub = TestHubs.withoutZigbee(config -> TestHubs.withCloud(config,
                     "tcp://127.0.0.1:" + upstream.mqttPort, "test-home"))) {
            JsonNode cloud = await(ApiClient.owner(hub), c -> c.path("connected").asBoolean(), "connected");
            assertThat(cloud.path("since").asText()).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
            assertThat(cloud.path("queued").isIntegralNumber()).isTrue();
            assertThat(cloud.path("lastError").isNull()).isTrue();
            assertThat(cloud.path("upstream").asText()).isEqualTo("tcp://127.0.0.1:" + upstream.mqttPort);
        }
    }

    private static JsonNode await(ApiClient owner, Predicate<JsonNode> wanted, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        JsonNode cloud = null;
        while (System.nanoTime() < deadline) {
            ApiClient.Answer answer = owner.get("/api/v1/cloud");
            assertThat(answer.status()).isEqualTo(200);
            cloud = answer.body();
            if (wanted.test(cloud)) {
                return cloud;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("the cloud link never showed " + what + "; last " + cloud);
    }
}
