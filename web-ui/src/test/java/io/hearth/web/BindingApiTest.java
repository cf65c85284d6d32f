package io.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.core.auth.Role;
import io.hearth.core.config.HearthConfig;
import io.hearth.core.config.SerialConfig;
import io.hearth.core.config.SerialGateway;
import io.hearth.shadow.RunningShadows;
import io.hearth.web.auth.IdentityStore;
import io.hearth.web.testing.TestHubs;
import io.hearth.zigbee.ZigbeeBinding;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code GET /api/v1/bindings}: which ways of adding devices work now, over the real bindings, and why the others do not. */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class BindingApiTest {

    @Test
    void onTheDemoNetworkZigbeeCanPairAndTheSerialBindingSaysNoGatewayIsSetUp() throws Exception {
        try (RunningShadows hub = TestHubs.withDemoNetwork()) {
            IdentityStore identities = hub.bean(IdentityStore.class);
            identities.addUser("kim", Role.MEMBER, "kim-password".toCharArray());
            ApiClient member = new ApiClient(hub.httpPort).header("Authorization",
                    "Bearer " + identities.issueToken("kim", "phone").secret());
            ApiClient.Answer answer = member.get("/api/v1/bindings");
            assertThat(answer.status()).as("members may see what can pair").isEqualTo(200);

            JsonNode zigbee = binding(answer, "zigbee");
            assertThat(zigbee.path("status").asText()).isEqualTo("UP");
            assertThat(zigbee.path("canPair").asBoolean()).isTrue();
            assertThat(zigbee.path("whyNot").isNull()).isTrue();
            assertThat(zigbee.path("pairing").path("open").asBoolean()).isFalse();
            assertThat(zigbee.path("gateways")).isEmpty();

            JsonNode serial = binding(answer, "serial");
            assertThat(serial.path("canPair").asBoolean()).isFalse();
            assertThat(serial.path("whyNot").asText())
                    .isEqualTo("No serial gateway is set up (hearth.serial.gateways in the hub's configuration).");
            assertThat(new ApiClient(hub.httpPort).get("/api/v1/bindings").status()).isEqualTo(401);
        }
    }

    @Test
    void whenTheZigbeeAdapterFailsPairingIsUnavailableAndTheReasonSaysWhatToCheck() throws Exception {
        try (RunningShadows hub = TestHubs.withDemoNetwork()) {
            ApiClient owner = ApiClient.owner(hub);
            hub.bean(ZigbeeBinding.class).simulator().orElseThrow().failDongle();
            JsonNode zigbee = null;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (System.nanoTime() < deadline) {
                zigbee = binding(owner.get("/api/v1/bindings"), "zigbee");
                if (!zigbee.path("canPair").asBoolean()) {
                    break;
                }
                Thread.sleep(20);
            }
            assertThat(zigbee.path("canPair").asBoolean()).as("pairing while the adapter is lost").isFalse();
            assertThat(zigbee.path("status").asText()).isEqualTo("DOWN");
            assertThat(zigbee.path("whyNot").asText()).startsWith("Zigbee is not working: ")
                    .contains("lost contact with the simulated coordinator")
                    .endsWith("Check that the Zigbee adapter is plugged in; the hub keeps trying by itself.");
        }
    }

    @Test
    void aSerialGatewayIsListedWithItsPortAndAnUnpluggedOneIsExplained() throws Exception {
        SerialGateway gateway = new SerialGateway("ms1", SerialGateway.Protocol.MYSENSORS, "/dev/hearth-test-no-such-port",
                null, null, null, null, null);
        try (RunningShadows hub = TestHubs.withoutZigbee(config -> withGateway(config, gateway))) {
            ApiClient owner = ApiClient.owner(hub);
            ApiClient.Answer answer = owner.get("/api/v1/bindings");

            JsonNode serial = binding(answer, "serial");
            assertThat(serial.path("gateways")).hasSize(1);
            assertThat(serial.path("gateways").get(0).toString()).isEqualTo(
                    "{\"id\":\"ms1\",\"protocol\":\"mysensors\",\"port\":\"/dev/hearth-test-no-such-port\",\"pairs\":true}");
            assertThat(serial.path("canPair").asBoolean()).isFalse();
            assertThat(serial.path("whyNot").asText()).startsWith("The serial binding is not working: ")
                    .contains("ms1 (/dev/hearth-test-no-such-port) is not connected; check the adapter is plugged in");

            JsonNode zigbee = binding(answer, "zigbee");
            assertThat(zigbee.path("canPair").asBoolean()).isFalse();
            assertThat(zigbee.path("whyNot").asText())
                    .isEqualTo("Zigbee is turned off in the hub's configuration (zigbee.dongle is none).");
            ApiClient.Answer refused = owner.post("/api/v1/pairing", "{\"binding\":\"zigbee\",\"seconds\":60}");
            assertThat(refused.status()).isEqualTo(409);
            assertThat(refused.body().path("detail").asText()).startsWith("Pairing could not start: ");
        }
    }

    private static JsonNode binding(ApiClient.Answer answer, String id) {
        for (JsonNode binding : answer.body()) {
            if (binding.path("id").asText().equals(id)) {
                return binding;
            }
        }
        throw new AssertionError("no binding " + id + " in " + answer.body());
    }

    private static HearthConfig withGateway(HearthConfig config, SerialGateway gateway) {
        return new HearthConfig(config.dataDir(), config.http(), config.mqtt(), config.zigbee(),
                new SerialConfig(List.of(gateway)), config.cloud(), config.history());
    }
}
