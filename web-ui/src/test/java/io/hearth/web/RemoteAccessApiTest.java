package io.hearth.web;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.core.auth.Role;
import io.hearth.core.device.Capability;
import io.hearth.core.device.DeviceId;
import io.hearth.shadow.RunningShadows;
import io.hearth.shadow.device.DeviceRegistry;
import io.hearth.web.auth.IdentityStore;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@code /api/v1/cloud/devices}: the owner decides per device what the cloud may see and change. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class RemoteAccessApiTest {

    private RunningShadows hub;
    private ApiClient owner;

    @BeforeEach
    void start() throws Exception {
        hub = RunningShadows.start();
        owner = ApiClient.owner(hub);
        describe("lamp-1", "on", "brightness");
        describe("climate-1", "temperature");
    }

    @AfterEach
    void stop() {
        hub.close();
    }

    private void describe(String id, String... keys) throws Exception {
        List<Capability> capabilities = java.util.Arrays.stream(keys)
                .map(key -> Capability.fromJson(key, null, null, null, null, null)).toList();
        hub.bean(DeviceRegistry.class).describe(DeviceId.of(id), id, "test", capabilities).get(5, TimeUnit.SECONDS);
    }

    private JsonNode permission(String device) throws Exception {
        for (JsonNode entry : owner.get("/api/v1/cloud/devices").body()) {
            if (entry.path("device").asText().equals(device)) {
                return entry;
            }
        }
        throw new AssertionError(device + " not listed");
    }

    @Test
    void actuatorsMayBeControlledRemotelyByDefaultSensorsOnlySeen() throws Exception {
        assertThat(permission("lamp-1").toString())
                .isEqualTo("{\"device\":\"lamp-1\",\"visible\":true,\"control\":true,\"ownerChoice\":false}");
        assertThat(permission("climate-1").path("visible").asBoolean()).isTrue();
        assertThat(permission("climate-1").path("control").asBoolean()).isFalse();
    }

    @Test
    void theOwnersChoiceIsKeptAcrossARestartAndCanBeUndone() throws Exception {
        ApiClient.Answer chosen = owner.put("/api/v1/cloud/devices/lamp-1", "{\"control\":false}");
        assertThat(chosen.status()).isEqualTo(200);
        assertThat(chosen.body().path("visible").asBoolean()).isTrue();
        assertThat(chosen.body().path("control").asBoolean()).isFalse();
        assertThat(chosen.body().path("ownerChoice").asBoolean()).isTrue();

        // Hidden devices cannot be controlled, whatever is asked.
        JsonNode hidden = owner.put("/api/v1/cloud/devices/climate-1", "{\"visible\":false,\"control\":true}").body();
        assertThat(hidden.path("visible").asBoolean()).isFalse();
        assertThat(hidden.path("control").asBoolean()).isFalse();

        hub = hub.restart();
        owner = ApiClient.owner(hub);
        assertThat(permission("lamp-1").path("control").asBoolean()).isFalse();
        assertThat(permission("climate-1").path("visible").asBoolean()).isFalse();

        JsonNode reset = owner.delete("/api/v1/cloud/devices/lamp-1").body();
        assertThat(reset.path("control").asBoolean()).isTrue();
        assertThat(reset.path("ownerChoice").asBoolean()).isFalse();
    }

    @Test
    void wrongRequestsAreRefusedWithTheReason() throws Exception {
        ApiClient.Answer unknown = owner.put("/api/v1/cloud/devices/no-such-device", "{\"visible\":false}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.contentType()).startsWith("application/problem+json");
        assertThat(unknown.body().path("detail").asText()).contains("no-such-device");

        ApiClient.Answer notBoolean = owner.put("/api/v1/cloud/devices/lamp-1", "{\"visible\":\"yes\"}");
        assertThat(notBoolean.status()).isEqualTo(400);
        assertThat(notBoolean.body().path("detail").asText()).contains("\"visible\" must be true or false");

        ApiClient.Answer other = owner.put("/api/v1/cloud/devices/lamp-1", "{\"colour\":true}");
        assertThat(other.status()).isEqualTo(400);
        assertThat(other.body().path("detail").asText()).contains("\"colour\"");

        assertThat(owner.put("/api/v1/cloud/devices/lamp-1", "{}").status()).isEqualTo(400);
        assertThat(permission("lamp-1").path("ownerChoice").asBoolean()).isFalse();
    }

    @Test
    void membersCannotChangeWhatTheCloudMayDo() throws Exception {
        IdentityStore identities = hub.bean(IdentityStore.class);
        identities.addUser("bob", Role.MEMBER, "bob-password".toCharArray());
        ApiClient member = new ApiClient(hub.httpPort).header("Authorization",
                "Bearer " + identities.issueToken("bob", "tests").secret());
        assertThat(member.get("/api/v1/cloud/devices").status()).isEqualTo(403);
        assertThat(member.put("/api/v1/cloud/devices/lamp-1", "{\"control\":false}").status()).isEqualTo(403);
        assertThat(member.delete("/api/v1/cloud/devices/lamp-1").status()).isEqualTo(403);
        assertThat(permission("lamp-1").path("ownerChoice").asBoolean()).isFalse();
    }
}
