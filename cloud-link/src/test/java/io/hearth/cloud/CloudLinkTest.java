package io.hearth.cloud;

import io.hearth.core.cloud.CloudStatus;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.core.config.CloudConfig;
import io.hearth.core.config.HearthConfig;
import io.hearth.core.device.Capability;
import io.hearth.core.device.DeviceId;
import io.hearth.core.lifecycle.HealthStatus;
import io.hearth.core.testing.FreePorts;
import io.hearth.shadow.RunningShadows;
import io.hearth.shadow.TestCertificates;
import io.hearth.shadow.ShadowDocument;
import io.hearth.shadow.ShadowName;
import io.hearth.shadow.ShadowService;
import io.hearth.shadow.device.DeviceRegistry;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The link in {@code mode: broker} with Debian's Mosquitto as the cloud and a remote app on it. */
class CloudLinkTest {

    static final String THING = "home-hub";
    static final String SHADOWS = "$aws/things/" + THING + "/shadow";

    @TempDir
    Path dir;
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void needsMosquitto() {
        Mosquitto.assumeInstalled();
    }

    @AfterEach
    void closeAll() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
    }

    @Test
    void aRemoteDesiredChangeReachesTheDevicesLocalShadowAndIsAnsweredUpstream() throws Exception {
        Mosquitto cloud = mosquitto(Mosquitto.open(dir));
        RunningShadows hub = hub(link(cloud.url()));
        lamp(hub, "lamp-1");
        RemoteApp app = app(cloud);
        awaitConnected(hub);

        app.publish(SHADOWS + "/name/lamp-1/update", "{\"state\":{\"desired\":{\"on\":true}},\"clientToken\":\"tap-1\"}");

        JsonNode accepted = app.await(SHADOWS + "/name/lamp-1/update/accepted", 10).body();
        assertThat(accepted.path("clientToken").asText()).isEqualTo("tap-1");
        assertThat(accepted.path("state").path("desired").path("on").asBoolean()).isTrue();
        assertThat(local(hub, "lamp-1").desired().path("on").asBoolean()).isTrue();
        JsonNode delta = app.await(SHADOWS + "/name/lamp-1/update/delta", 10).body();
        assertThat(delta.path("state").path("on").asBoolean()).isTrue();
        assertThat(delta.path("version").asLong()).isEqualTo(local(hub, "lamp-1").version());

        app.publish(SHADOWS + "/name/lamp-1/get", "{\"clientToken\":\"look\"}");
        JsonNode document = app.await(SHADOWS + "/name/lamp-1/get/accepted", 10).body();
        assertThat(document.path("state").path("delta").path("on").asBoolean()).isTrue();
        assertThat(document.path("clientToken").asText()).isEqualTo("look");
    }

    @Test
    void reportedStateChangesReachTheCloudAsDocuments() throws Exception {
        Mosquitto cloud = mosquitto(Mosquitto.open(dir));
        RunningShadows hub = hub(link(cloud.url()));
        RemoteApp app = app(cloud);
        sensor(hub, "climate-1");
        awaitConnected(hub);
        app.await(SHADOWS + "/name/climate-1/update/documents", 10);

        report(hub, "climate-1", "{\"temperature\":21.5}");

        RemoteApp.Received change = app.await(SHADOWS + "/name/climate-1/update/documents",
                body -> body.path("current").path("state").path("reported").path("temperature").asDouble() == 21.5, 10);
        assertThat(change.body().path("previous").path("state").path("reported").path("temperature").asDouble())
                .isEqualTo(20.0);
        assertThat(change.body().path("current").path("version").asLong()).isEqualTo(local(hub, "climate-1").version());
        System.out.printf("[measure] one reported change upstream: %d payload bytes + %d topic bytes%n",
                change.bytes(), change.topic().getBytes(StandardCharsets.UTF_8).length);
        awaitTrue(() -> link(hub).status().queued() == 0, "outbox emptied");
    }

    @Test
    void theCloudMayChangeDesiredStateOnlyAndOnlyWhereTheOwnerAllowsIt() throws Exception {
        Mosquitto cloud = mosquitto(Mosquitto.open(dir));
        RunningShadows hub = hub(link(cloud.url()));
        lamp(hub, "lamp-1");
        sensor(hub, "climate-1");
        RemoteApp app = app(cloud);
        awaitConnected(hub);

        app.publish(SHADOWS + "/name/lamp-1/update", "{\"state\":{\"reported\":{\"on\":true}},\"clientToken\":\"r\"}");
        JsonNode reported = app.await(SHADOWS + "/name/lamp-1/update/rejected", 10).body();
        assertThat(reported.path("code").asInt()).isEqualTo(403);
        assertThat(reported.path("clientToken").asText()).isEqualTo("r");
        app.publish(SHADOWS + "/name/lamp-1/delete", "{}");
        assertThat(app.await(SHADOWS + "/name/lamp-1/delete/rejected", 10).body().path("code").asInt()).isEqualTo(403);
        // A sensor has nothing to control: by default the cloud may not write its desired state.
        app.publish(SHADOWS + "/name/climate-1/update", "{\"state\":{\"desired\":{\"temperature\":5}}}");
        assertThat(app.await(SHADOWS + "/name/climate-1/update/rejected", 10).body().path("code").asInt())
                .isEqualTo(403);
        // A known device whose shadow does not exist yet is named as the cloud knows it.
        hub.bean(DeviceRegistry.class).describe(DeviceId.of("plug-1"), "Plug", "test", List.of(capability("on")))
                .get(5, TimeUnit.SECONDS);
        app.publish(SHADOWS + "/name/plug-1/get", "");
        assertThat(app.await(SHADOWS + "/name/plug-1/get/rejected", 10).body().path("message").asText())
                .isEqualTo("No shadow exists with name: '" + THING + "~plug-1'");
        app.publish(SHADOWS + "/name/nobody/get", "");
        assertThat(app.await(SHADOWS + "/name/nobody/get/rejected", 10).body().path("code").asInt()).isEqualTo(404);

        // The owner hides the lamp: the cloud is told it is gone and can no longer reach it.
        link(hub).policy().set(DeviceId.of("lamp-1"), false, true).get(5, TimeUnit.SECONDS);
        app.await(SHADOWS + "/name/lamp-1/delete/accepted", 10);
        app.publish(SHADOWS + "/name/lamp-1/update", "{\"state\":{\"desired\":{\"on\":true}}}");
        assertThat(app.await(SHADOWS + "/name/lamp-1/update/rejected", 10).body().path("code").asInt()).isEqualTo(404);
        assertThat(local(hub, "lamp-1").desired()).isNull();
        report(hub, "lamp-1", "{\"on\":true}");

        // Visible again but read-only for the cloud; the choice survives a restart.
        link(hub).policy().set(DeviceId.of("lamp-1"), true, false).get(5, TimeUnit.SECONDS);
        app.await(SHADOWS + "/name/lamp-1/update/documents",
                body -> body.path("current").path("state").path("reported").path("on").asBoolean(), 10);
        RunningShadows restarted = restart(hub);
        assertThat(link(restarted).policy().of(DeviceId.of("lamp-1")))
                .satisfies(p -> assertThat(p.visible()).isTrue())
                .satisfies(p -> assertThat(p.control()).isFalse())
                .satisfies(p -> assertThat(p.ownerChoice()).isTrue());
        assertThat(link(restarted).policy().of(DeviceId.of("climate-1")).ownerChoice()).isFalse();
    }

    @Test
    void theHubsOwnShadowReportsItsVersionDeviceCountAndHealth() throws Exception {
        Mosquitto cloud = mosquitto(Mosquitto.open(dir));
        RunningShadows hub = hub(link(cloud.url()));
        lamp(hub, "lamp-1");
        RemoteApp app = app(cloud);
        awaitConnected(hub);

        app.publish(SHADOWS + "/get", "{\"clientToken\":\"hub\"}");
        JsonNode hubShadow = app.await(SHADOWS + "/get/accepted", 10).body();
        assertThat(hubShadow.path("state").path("reported").has("hearthVersion")).isTrue();
        assertThat(hubShadow.path("state").path("reported").path("health").asText()).isNotEmpty();
        assertThat(hubShadow.path("state").path("reported").has("devices")).isTrue();
        app.publish(SHADOWS + "/update", "{\"state\":{\"desired\":{\"devices\":0}}}");
        assertThat(app.await(SHADOWS + "/update/rejected", 10).body().path("code").asInt()).isEqualTo(403);
    }

    @Test
    void changesMadeWhileTheCloudIsDownArriveAfterItReturnsOnlyTheLatestPerDevice() throws Exception {
        Mosquitto cloud = mosquitto(Mosquitto.open(dir));
        RunningShadows hub = hub(link(cloud.url()));
        int devices = 1000;
        List<CompletableFuture<?>> made = new ArrayList<>();
        for (int i = 0; i < devices; i++) {
            made.add(describeSensor(hub, "sensor-" + i));
        }
        CompletableFuture.allOf(made.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        made.clear();
        for (int i = 0; i < devices; i++) {
            made.add(shadows(hub).update(ShadowName.classic("sensor-" + i), reportedBody("{\"temperature\":20.0}")));
        }
        CompletableFuture.allOf(made.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        RemoteApp app = app(cloud);
        awaitConnected(hub);
        awaitTrue(() -> link(hub).status().queued() == 0, "first sync delivered");

        cloud.stop();
        awaitTrue(() -> !link(hub).status().connected(), "link down noticed");
        assertThat(link(hub).status().lastError()).isNotBlank();
        // Local operation goes on: every device changes twice while the cloud is away.
        for (double value : new double[] {25.0, 26.0}) {
            made.clear();
            for (int i = 0; i < devices; i++) {
                made.add(shadows(hub).update(ShadowName.classic("sensor-" + i),
                        reportedBody("{\"temperature\":" + value + "}")));
            }
            CompletableFuture.allOf(made.toArray(CompletableFuture[]::new)).get(30, TimeUnit.SECONDS);
        }
        awaitTrue(() -> link(hub).status().queued() == devices, "one entry per device queued");
        app.forget();

        long restarted = System.nanoTime();
        cloud.start();
        awaitTrue(() -> link(hub).status().connected(), "link back");
        long connected = System.nanoTime();
        awaitTrue(() -> link(hub).status().queued() == 0, "outbox delivered");
        long delivered = System.nanoTime();
        System.out.printf("[measure] reconnect after upstream restart: %d ms; outbox of %d devices delivered in %d ms "
                        + "(%.0f changes/s)%n", TimeUnit.NANOSECONDS.toMillis(connected - restarted), devices,
                TimeUnit.NANOSECONDS.toMillis(delivered - connected),
                devices / ((delivered - connected) / 1e9));

        Map<String, Double> latest = new java.util.HashMap<>();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (latest.size() < devices && System.nanoTime() < deadline) {
            RemoteApp.Received next = app.received.poll(100, TimeUnit.MILLISECONDS);
            // The hub's own shadow also changes when the link comes back; only the devices' count here.
            if (next != null && next.topic().startsWith(SHADOWS + "/name/") && next.topic().endsWith("/update/documents")) {
                String device = next.topic().split("/")[5];
                assertThat(latest.put(device, next.body().path("current").path("state").path("reported")
                        .path("temperature").asDouble())).as("one message per device").isNull();
                // Merged: the cloud sees one step from what it last knew to the newest state.
                assertThat(next.body().path("previous").path("state").path("reported").path("temperature").asDouble())
                        .isEqualTo(20.0);
            }
        }
        assertThat(latest).hasSize(devices);
        assertThat(latest.values()).containsOnly(26.0);
    }

    @Test
    void theOutboxIsBoundedCountsOverflowAndSurvivesAHubRestart() throws Exception {
        int port = FreePorts.next();
        CloudConfig config = link("tcp://127.0.0.1:" + port).withOutboxLimit(3);
        RunningShadows hub = hub(config);
        for (int i = 0; i < 5; i++) {
            sensor(hub, "sensor-" + i);
        }
        awaitTrue(() -> link(hub).status().queued() == 3, "outbox at its limit");
        awaitTrue(() -> link(hub).status().lastError() != null, "the failed attempt reported");
        assertThat(link(hub).status().connected()).isFalse();
        assertThat(link(hub).status().lastError()).contains("cannot be reached");
        assertThat(link(hub).health().status()).isEqualTo(HealthStatus.DEGRADED);
        assertThat(link(hub).health().details()).containsEntry("overflow", 3L);

        RunningShadows restarted = restart(hub);
        assertThat(link(restarted).status().queued()).isEqualTo(3);
        Mosquitto cloud = mosquitto(Mosquitto.openOn(port, dir, List.of("allow_anonymous true")));
        RemoteApp app = app(cloud);
        awaitConnected(restarted);
        awaitTrue(() -> link(restarted).status().queued() == 0, "outbox delivered");
        assertThat(app).isNotNull();
    }

    @Test
    void aCloudReachedOverWebSocketWorksLikeAnyOther() throws Exception {
        int webSocketPort = FreePorts.next();
        Mosquitto cloud = mosquitto(Mosquitto.open(dir, List.of("allow_anonymous true",
                "listener " + webSocketPort + " 127.0.0.1", "protocol websockets"), webSocketPort));
        RunningShadows hub = hub(link("ws://127.0.0.1:" + webSocketPort + "/mqtt"));
        RemoteApp app = app(cloud);
        awaitConnected(hub);
        sensor(hub, "climate-1");
        app.await(SHADOWS + "/name/climate-1/update/documents", 10);
    }

    @Test
    void messagesTheCloudRefusesAreDroppedCountedAndExplained() throws Exception {
        // Anonymous clients may read the shadow topics but not write them.
        java.nio.file.Path acl = java.nio.file.Files.writeString(dir.resolve("acl"), "topic read $aws/#\n");
        Mosquitto cloud = mosquitto(Mosquitto.open(dir, List.of("allow_anonymous true", "acl_file " + acl)));
        RunningShadows hub = hub(link(cloud.url()));
        awaitConnected(hub);
        sensor(hub, "climate-1");

        awaitTrue(() -> link(hub).status().queued() == 0, "nothing left waiting");
        awaitTrue(() -> ((Number) link(hub).health().details().get("refused")).longValue() > 0, "refusal counted");
        assertThat((String) link(hub).health().details().get("lastRefusal")).contains("not authorized");
        assertThat(link(hub).status().connected()).isTrue();
    }

    @Test
    void wrongCredentialsStopTheLinkWithAReasonTheOwnerCanActOn() throws Exception {
        Path passwords = Mosquitto.passwordFile(dir, THING, "right-secret");
        Mosquitto cloud = mosquitto(Mosquitto.open(dir, List.of("allow_anonymous false",
                "password_file " + passwords)));
        RunningShadows wrong = hub(new CloudConfig(true, cloud.url(), THING, CloudConfig.Mode.BROKER, THING,
                "wrong-secret", "", "", ""));
        awaitTrue(() -> link(wrong).status().lastError() != null, "refusal reported");
        CloudStatus status = link(wrong).status();
        assertThat(status.connected()).isFalse();
        assertThat(status.lastError()).contains("refused the hub's login").contains("hearth.cloud.password")
                .doesNotContain("wrong-secret");
        assertThat(link(wrong).health().status()).isEqualTo(HealthStatus.DOWN);
        wrong.close();
        toClose.remove(wrong);

        RunningShadows right = hub(new CloudConfig(true, cloud.url(), THING, CloudConfig.Mode.BROKER, THING,
                "right-secret", "", "", ""));
        awaitConnected(right);
    }

    @Test
    void tlsWithAPrivateAuthorityAndAClientCertificateConnects() throws Exception {
        TestCertificates certificates = TestCertificates.make(dir.resolve("tls"));
        int tlsPort = FreePorts.next();
        Mosquitto cloud = mosquitto(Mosquitto.open(dir, List.of(
                "allow_anonymous true",
                "listener " + tlsPort + " 127.0.0.1",
                "cafile " + certificates.caPem,
                "certfile " + certificates.serverPem,
                "keyfile " + certificates.serverKey,
                "require_certificate true",
                "use_identity_as_username true"), tlsPort));
        String url = "ssl://localhost:" + tlsPort;

        RunningShadows untrusting = hub(new CloudConfig(true, url, THING, CloudConfig.Mode.BROKER, "", "",
                certificates.clientPem.toString(), certificates.clientKey.toString(), ""));
        awaitTrue(() -> link(untrusting).status().lastError() != null, "TLS failure reported");
        assertThat(link(untrusting).status().lastError()).contains("hearth.cloud.ca-file");
        untrusting.close();
        toClose.remove(untrusting);

        RunningShadows hub = hub(new CloudConfig(true, url, THING, CloudConfig.Mode.BROKER, "", "",
                certificates.clientPem.toString(), certificates.clientKey.toString(), certificates.caPem.toString()));
        RemoteApp app = app(cloud);
        awaitConnected(hub);
        sensor(hub, "climate-1");
        app.await(SHADOWS + "/name/climate-1/update/documents", 10);
    }

    @Test
    void aCloudThatOnlySpeaksMqtt311IsServedOver311() throws Exception {
        Mosquitto cloud = mosquitto(Mosquitto.open(dir));
        CloudGateway gateway = new CloudGateway(cloud.port, true);
        toClose.add(gateway);
        RunningShadows hub = hub(link("tcp://127.0.0.1:" + gateway.port));
        lamp(hub, "lamp-1");
        RemoteApp app = app(cloud);
        awaitConnected(hub);
        assertThat(gateway.refusedMqtt5).isPositive();
        assertThat(link(hub).health().details()).containsEntry("protocol", "MQTT 3.1.1");

        app.publish(SHADOWS + "/name/lamp-1/update", "{\"state\":{\"desired\":{\"brightness\":80}}}");
        app.await(SHADOWS + "/name/lamp-1/update/accepted", 10);
        assertThat(local(hub, "lamp-1").desired().path("brightness").asInt()).isEqualTo(80);
    }

    // --- the hub, its devices and the cloud

    private Mosquitto mosquitto(Mosquitto cloud) {
        toClose.add(cloud);
        return cloud;
    }

    private RemoteApp app(Mosquitto cloud) throws Exception {
        RemoteApp app = new RemoteApp(cloud.port, SHADOWS + "/#");
        toClose.add(app);
        return app;
    }

    static CloudConfig link(String url) {
        return new CloudConfig(true, url, THING, CloudConfig.Mode.BROKER, "", "", "", "", "");
    }

    private RunningShadows hub(CloudConfig cloud) throws Exception {
        RunningShadows hub = RunningShadows.start(config -> withCloud(config, cloud));
        toClose.add(hub);
        return hub;
    }

    private RunningShadows restart(RunningShadows hub) throws Exception {
        toClose.remove(hub);
        RunningShadows restarted = hub.restart();
        toClose.add(restarted);
        return restarted;
    }

    static HearthConfig withCloud(HearthConfig config, CloudConfig cloud) {
        return new HearthConfig(config.dataDir(), config.http(), config.mqtt(), config.zigbee(), config.serial(), cloud,
                config.history());
    }

    static CloudLink link(RunningShadows hub) {
        return hub.bean(CloudLink.class);
    }

    static ShadowService shadows(RunningShadows hub) {
        return hub.bean(ShadowService.class);
    }

    static void lamp(RunningShadows hub, String id) throws Exception {
        hub.bean(DeviceRegistry.class).describe(DeviceId.of(id), "Lamp", "test",
                List.of(capability("on"), capability("brightness"))).get(5, TimeUnit.SECONDS);
        report(hub, id, "{\"on\":false,\"brightness\":40}");
    }

    static void sensor(RunningShadows hub, String id) throws Exception {
        describeSensor(hub, id).get(5, TimeUnit.SECONDS);
        report(hub, id, "{\"temperature\":20.0,\"humidity\":45}");
    }

    static CompletableFuture<Void> describeSensor(RunningShadows hub, String id) {
        return hub.bean(DeviceRegistry.class).describe(DeviceId.of(id), "Climate", "test",
                List.of(capability("temperature"), capability("humidity")));
    }

    static Capability capability(String key) {
        return Capability.fromJson(key, null, null, null, null, null);
    }

    static void report(RunningShadows hub, String id, String reported) throws Exception {
        shadows(hub).update(ShadowName.classic(id), reportedBody(reported)).get(5, TimeUnit.SECONDS);
    }

    static byte[] reportedBody(String reported) {
        return ("{\"state\":{\"reported\":" + reported + "}}").getBytes(StandardCharsets.UTF_8);
    }

    static ShadowDocument local(RunningShadows hub, String id) throws Exception {
        return shadows(hub).get(ShadowName.classic(id), new byte[0]).get(5, TimeUnit.SECONDS).document();
    }

    static void awaitConnected(RunningShadows hub) throws Exception {
        awaitTrue(() -> link(hub).status().connected(), "connected to the cloud; status " + link(hub).status());
    }

    /** A condition a test waits for; it may throw while the state is not there yet. */
    interface Check {
        boolean holds() throws Exception;
    }

    static void awaitTrue(Check condition, String what) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(10);
        }
    }
}
