package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.core.testing.FreePorts;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
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
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code hearth credential add|revoke} against a running hub, as separate processes: the new login
 * works at once, and revoking it closes the device's connection before the command returns.
 */
class CredentialCommandsIT {

    @TempDir
    Path dir;

    private HubProcesses hubs;
    private Path data;
    private int mqtt;
    private MqttClient device;

    @BeforeEach
    void start() throws Exception {
        data = dir.resolve("data");
        mqtt = FreePorts.next();
        hubs = new HubProcesses(dir);
        hubs.start(data, FreePorts.next(), mqtt);
    }

    @AfterEach
    void stop() throws MqttException {
        if (device != null) {
            if (device.isConnected()) {
                device.disconnectForcibly(0, 1000, false);
            }
            device.close(true);
        }
        if (hubs != null) {
            hubs.close();
        }
    }

    private Process command(Path data, String stdin, String... args) throws Exception {
        String[] line = new String[args.length + 6];
        line[0] = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        line[1] = "-XX:TieredStopAtLevel=1";
        line[2] = "-jar";
        line[3] = System.getProperty("hearthtest.jar", "target/hearth.jar");
        System.arraycopy(args, 0, line, 4, args.length);
        line[args.length + 4] = "--data-dir";
        line[args.length + 5] = data.toString();
        ProcessBuilder builder = new ProcessBuilder(line).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("HEARTH_"));
        Process process = builder.start();
        process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        return process;
    }

    @Test
    void aCredentialAddedWhileTheHubRunsWorksAndRevokingItClosesTheConnectionAtOnce() throws Exception {
        Process added = command(data, "porch-password\n", "credential", "add", "porch-light", "--password-stdin");
        assertThat(new String(added.getInputStream().readAllBytes(), StandardCharsets.UTF_8)).contains("added MQTT credential porch-light");
        assertThat(added.exitValue()).isZero();

        device = new MqttClient("tcp://127.0.0.1:" + mqtt, "porch-light", new MemoryPersistence());
        CompletableFuture<Integer> closed = new CompletableFuture<>();
        device.setCallback(new MqttCallback() {
            @Override
            public void disconnected(MqttDisconnectResponse response) {
                closed.complete(response.getReturnCode());
            }

            @Override
            public void mqttErrorOccurred(MqttException exception) {
            }

            @Override
            public void messageArrived(String topic, MqttMessage message) {
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
        options.setUserName("porch-light");
        options.setPassword("porch-password".getBytes(StandardCharsets.UTF_8));
        options.setAutomaticReconnect(false);
        device.connect(options);
        device.publish("$aws/things/porch-light/shadow/update",
                new MqttMessage("{\"state\":{\"reported\":{\"on\":false}}}".getBytes(StandardCharsets.UTF_8), 1, false, null));

        Process revoked = command(data, "", "credential", "revoke", "porch-light");
        assertThat(revoked.exitValue()).isZero();
        assertThat(closed.get(1, TimeUnit.SECONDS)).as("DISCONNECT reason: administrative action").isEqualTo(0x98);

        Process again = command(data, "", "credential", "revoke", "porch-light");
        assertThat(again.exitValue()).isEqualTo(1);
        assertThat(new String(again.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("there is no credential named porch-light");
    }

    @Test
    void aCertificateOnlyCredentialAddedWhileTheHubRunsRefusesEveryPassword() throws Exception {
        Process added = command(data, "", "credential", "add", "gate-opener", "--certificate-only");
        assertThat(new String(added.getInputStream().readAllBytes(), StandardCharsets.UTF_8))
                .contains("added MQTT credential gate-opener; it has no password");
        assertThat(added.exitValue()).isZero();

        device = new MqttClient("tcp://127.0.0.1:" + mqtt, "gate-opener", new MemoryPersistence());
        MqttConnectionOptions options = new MqttConnectionOptions();
        options.setUserName("gate-opener");
        options.setPassword(new byte[0]);
        options.setAutomaticReconnect(false);
        assertThatThrownBy(() -> device.connect(options)).isInstanceOfSatisfying(MqttException.class,
                e -> assertThat(e.getReasonCode()).as("CONNACK: bad user name or password").isEqualTo(0x86));
    }
}
