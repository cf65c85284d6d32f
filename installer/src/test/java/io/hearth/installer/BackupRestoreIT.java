package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.testing.FreePorts;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Backup while the hub runs, wipe the data dir, restore, start again: the owner and their API token,
 * MQTT credentials, device names, shadows, the Zigbee network and the TLS certificate all come back,
 * and what changed after the backup does not.
 */
class BackupRestoreIT {

    private static final String LAMP = "zigbee-00124b0010000001";

    @TempDir
    Path dir;

    private HubProcesses hubs;

    @AfterEach
    void stop() {
        if (hubs != null) {
            hubs.close();
        }
    }

    private static void wipe(Path tree) throws Exception {
        try (var walk = Files.walk(tree)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.delete(path);
            }
        }
    }

    private static boolean canLogIn(int mqttPort, String user, String password) throws MqttException {
        MqttClient client = new MqttClient("tcp://127.0.0.1:" + mqttPort, user, new MemoryPersistence());
        try {
            MqttConnectionOptions options = new MqttConnectionOptions();
            options.setUserName(user);
            options.setPassword(password.getBytes(StandardCharsets.UTF_8));
            options.setConnectionTimeout(5);
            client.connect(options);
            client.disconnect();
            return true;
        } catch (MqttException refused) {
            return false;
        } finally {
            client.close(true);
        }
    }

    /** The simulated network's devices join a few seconds after the hub is ready. */
    private static void awaitListed(OwnerApi owner, String device) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (owner.send("GET", "/api/v1/devices/" + device, "").status() != 200) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError(device + " was not listed within 20 s");
            }
            Thread.sleep(100);
        }
    }

    private static int login(int httpPort, String user, String password) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + httpPort + "/api/v1/session"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"" + user + "\",\"password\":\"" + password + "\"}"))
                .build(), HttpResponse.BodyHandlers.ofString());
        return response.statusCode();
    }

    @Test
    void aBackupTakenWhileTheHubRunsBringsEverythingBackIntoAWipedDataDir() throws Exception {
        Path data = dir.resolve("data");
        Path backup = dir.resolve("backups/hearth.zip");
        Files.createDirectories(backup.getParent());
        int http = FreePorts.next();
        int mqtt = FreePorts.next();
        Map<String, String> tls = Map.of("HEARTH_MQTT_TLS_PORT", Integer.toString(FreePorts.next()),
                "HEARTH_MQTT_ALLOW_ANONYMOUS", "false");
        hubs = new HubProcesses(dir);
        Process hub = hubs.start(data, http, mqtt, tls);

        OwnerApi owner = OwnerApi.onboard(http);
        assertThat(HearthCli.run("porch-password", "credential", "add", "porch-light", "--password-stdin",
                "--data-dir", data.toString()).exit()).isZero();
        awaitListed(owner, LAMP);
        assertThat(owner.send("PATCH", "/api/v1/devices/" + LAMP, "{\"name\":\"Reading lamp\",\"room\":\"Study\"}").status())
                .isEqualTo(200);
        assertThat(owner.send("POST", "/api/v1/things/garden-sensor/shadow",
                "{\"state\":{\"reported\":{\"temperature\":21.5}}}").status()).isEqualTo(200);
        String panId = new HealthProbe(http).health().body().path("components").path("zigbee").path("details").path("panId").asText();

        HearthCli.Result saved = HearthCli.run("", "backup", "--out", backup.toString(), "--data-dir", data.toString());
        assertThat(saved.exit()).as(saved.err()).isZero();
        assertThat(saved.out()).startsWith("Backed up hub ").contains("copied by the running hub").contains("3 TLS files");
        assertThat(saved.err()).isEmpty();
        assertThat(Files.getPosixFilePermissions(backup)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        try (var left = Files.list(backup.getParent())) {
            assertThat(left).as("no work files left beside the backup").containsExactly(backup);
        }

        HearthCli.Result refused = HearthCli.run("", "restore", backup.toString(), "--data-dir", data.toString());
        assertThat(refused.exit()).isEqualTo(1);
        assertThat(refused.err()).startsWith("hearth: restore: a hub is running on ").endsWith("Nothing was changed\n")
                .hasLineCount(1);

        // Changed after the backup: gone once it is restored.
        assertThat(HearthCli.run("late-password", "credential", "add", "late-thing", "--password-stdin",
                "--data-dir", data.toString()).exit()).isZero();
        HubProcesses.stop(hub);
        String network = DatabaseFiles.single(data, "SELECT channel, pan_id, extended_pan_id, network_key FROM zigbee_network");
        List<String> nodes = DatabaseFiles.rows(data, "SELECT ieee_address FROM zigbee_node ORDER BY ieee_address");
        String hubId = DatabaseFiles.single(data, "SELECT id FROM core_hub");
        byte[] certificate = Files.readAllBytes(data.resolve("tls/server.crt"));
        byte[] key = Files.readAllBytes(data.resolve("tls/server.p12"));

        wipe(data);
        HearthCli.Result restored = HearthCli.run("", "restore", backup.toString(), "--data-dir", data.toString());
        assertThat(restored.exit()).as(restored.err()).isZero();
        assertThat(restored.out()).startsWith("Restored hub " + hubId).contains("Start the hub to continue.");

        assertThat(DatabaseFiles.single(data, "SELECT channel, pan_id, extended_pan_id, network_key FROM zigbee_network"))
                .isEqualTo(network);
        assertThat(DatabaseFiles.rows(data, "SELECT ieee_address FROM zigbee_node ORDER BY ieee_address"))
                .isEqualTo(nodes).isNotEmpty();
        assertThat(Files.readAllBytes(data.resolve("tls/server.crt"))).isEqualTo(certificate);
        assertThat(Files.readAllBytes(data.resolve("tls/server.p12"))).isEqualTo(key);
        assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PosixFilePermissions.fromString("rwx------"));

        hubs.start(data, http, mqtt, tls);
        assertThat(HubLog.awaitLine(dir.resolve("hub-0.log"), "No owner yet: open http://", Duration.ofSeconds(10))).isNotEmpty();
        assertThat(HubLog.awaitLine(dir.resolve("hub-1.log"), "Open http://", Duration.ofSeconds(10)))
                .as("the restored hub has its owner").doesNotContain("No owner yet");
        OwnerApi sameOwner = OwnerApi.withToken(http, owner.token());
        assertThat(sameOwner.get("/api/v1/devices/" + LAMP).path("name").asText()).isEqualTo("Reading lamp");
        assertThat(sameOwner.get("/api/v1/devices/" + LAMP).path("room").asText()).isEqualTo("Study");
        assertThat(sameOwner.get("/api/v1/things/garden-sensor/shadow").path("state").path("reported")
                .path("temperature").asDouble()).isEqualTo(21.5);
        assertThat(login(http, "owner", "owner-password")).isEqualTo(200);
        assertThat(canLogIn(mqtt, "porch-light", "porch-password")).isTrue();
        assertThat(canLogIn(mqtt, "late-thing", "late-password")).isFalse();
        assertThat(new HealthProbe(http).health().body().path("components").path("zigbee").path("details").path("panId").asText())
                .isEqualTo(panId);
    }
}
