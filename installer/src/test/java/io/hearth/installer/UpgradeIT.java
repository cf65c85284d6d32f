package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.testing.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.mqttv5.client.IMqttToken;
import org.eclipse.paho.mqttv5.client.MqttCallback;
import org.eclipse.paho.mqttv5.client.MqttClient;
import org.eclipse.paho.mqttv5.client.MqttConnectionOptions;
import org.eclipse.paho.mqttv5.client.MqttDisconnectResponse;
import org.eclipse.paho.mqttv5.client.persist.MemoryPersistence;
import org.eclipse.paho.mqttv5.common.MqttException;
import org.eclipse.paho.mqttv5.common.MqttMessage;
import org.eclipse.paho.mqttv5.common.packet.MqttProperties;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A database left by the previous schema, started by the current hub: the migrations run once, the
 * data comes through, and a migration that fails leaves the previous database exactly as it was.
 */
class UpgradeIT {

    @TempDir
    Path dir;

    private HubProcesses hubs;
    private MqttClient client;

    @AfterEach
    void stop() throws MqttException {
        if (client != null) {
            if (client.isConnected()) {
                client.disconnectForcibly(0, 1000, false);
            }
            client.close(true);
        }
        if (hubs != null) {
            hubs.close();
        }
    }

    private static String sha256(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
    }

    private static List<String> history(Path data) throws Exception {
        return DatabaseFiles.rows(data, "SELECT 'broker', \"version\", \"success\" FROM broker_schema_history WHERE \"type\" = 'SQL' "
                + "UNION ALL SELECT 'cloud', \"version\", \"success\" FROM cloud_schema_history WHERE \"type\" = 'SQL' ORDER BY 1, 2");
    }

    /** Messages arriving for "keeper", as topic=payload. */
    private BlockingQueue<String> keeper(int mqtt) throws MqttException {
        BlockingQueue<String> received = new LinkedBlockingQueue<>();
        client = new MqttClient("tcp://127.0.0.1:" + mqtt, "keeper", new MemoryPersistence());
        client.setCallback(new MqttCallback() {
            @Override
            public void messageArrived(String topic, MqttMessage message) {
                received.add(topic + "=" + new String(message.getPayload(), StandardCharsets.UTF_8));
            }

            @Override
            public void disconnected(MqttDisconnectResponse response) {
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void deliveryComplete(IMqttToken token) {
            }

            @Override
            public void connectComplete(boolean reconnect, String serverURI) {
            }

            @Override
            public void authPacketArrived(int reasonCode, MqttProperties properties) {
            }
        });
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setCleanStart(false);
        options.setSessionExpiryInterval(3600L);
        options.setAutomaticReconnect(false);
        client.connect(options);
        return received;
    }

    @Test
    void aDatabaseOfThePreviousSchemaIsMigratedOnceAndKeepsItsData() throws Exception {
        Path data = dir.resolve("data");
        PreviousSchema.create(data);
        int http = FreePorts.next();
        int mqtt = FreePorts.next();
        hubs = new HubProcesses(dir);
        Process hub = hubs.start(data, http, mqtt);
        assertThat(new HealthProbe(http).health().body().path("components").path("store").path("details")
                .path("schemas").toString()).contains("\"broker\":\"3\"").contains("\"cloud\":\"2\"");

        BlockingQueue<String> received = keeper(mqtt);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("house/door=open");
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("house/window=shut");
        client.subscribe("house/lights", 0);
        assertThat(received.poll(10, TimeUnit.SECONDS)).isEqualTo("house/lights=on");
        client.disconnect();
        HubProcesses.stop(hub);

        List<String> applied = history(data);
        assertThat(applied).containsExactly("broker|1|TRUE", "broker|2|TRUE", "broker|3|TRUE", "cloud|1|TRUE", "cloud|2|TRUE");
        assertThat(data.resolve("hearth.mv.db.before-upgrade")).doesNotExist();

        HubProcesses.stop(hubs.start(data, http, mqtt));
        assertThat(history(data)).as("nothing applied twice").isEqualTo(applied);
    }

    @Test
    void aFailedMigrationLeavesThePreviousDatabaseAsItWasAndTheNextReleaseStillUpgradesIt() throws Exception {
        Path data = dir.resolve("data");
        PreviousSchema.create(data);
        String before = sha256(data.resolve("hearth.mv.db"));
        // A release whose broker step after version 3 is broken: version 3 applies, then 4 fails.
        Path broken = Files.createDirectories(dir.resolve("broken-release/db/migration/broker"));
        Files.writeString(broken.resolve("V4__broken.sql"), "ALTER TABLE broker_nothing ADD COLUMN x INT;\n");
        ProcessBuilder release = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("hearthtest.jar", "target/hearth.jar") + ":"
                + dir.resolve("broken-release"), "io.hearth.installer.Main", "run", "--data-dir", data.toString());
        release.environment().put("HEARTH_HTTP_PORT", Integer.toString(FreePorts.next()));
        release.environment().put("HEARTH_MQTT_PORT", Integer.toString(FreePorts.next()));
        release.environment().put("HEARTH_MQTT_TLS_PORT", "0");
        release.environment().put("HEARTH_MQTT_WEBSOCKET_PORT", "0");
        HearthCli.Result failed = HearthCli.exec(release, "");

        assertThat(failed.exit()).isEqualTo(1);
        assertThat(failed.err()).contains("migration V4__broken.sql of the broker tables failed");
        assertThat(sha256(data.resolve("hearth.mv.db"))).as("the previous database, byte for byte").isEqualTo(before);
        assertThat(data.resolve("hearth.mv.db.before-upgrade")).doesNotExist();

        int http = FreePorts.next();
        int mqtt = FreePorts.next();
        hubs = new HubProcesses(dir);
        HubProcesses.stop(hubs.start(data, http, mqtt));
        assertThat(history(data)).contains("broker|3|TRUE").noneMatch(row -> row.startsWith("broker|4"));
    }
}
