package io.hearth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** MQTT over TLS (with the certificate the hub made itself) and over WebSocket. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TransportsTest {

    private RunningBroker running;
    private final V3TestClients clients = new V3TestClients();

    @AfterEach
    void closeEverything() throws Exception {
        clients.closeAll();
        if (running != null) {
            running.close();
        }
    }

    private MqttClient connect(String uri, String id, MqttConnectOptions options) throws MqttException {
        return clients.connect(uri, id, options);
    }

    private Path certificate() {
        return running.dataDir.resolve("tls/server.crt");
    }

    private SSLContext trustingTheHub() throws Exception {
        KeyStore trusted = KeyStore.getInstance(KeyStore.getDefaultType());
        trusted.load(null, null);
        try (InputStream in = Files.newInputStream(certificate())) {
            trusted.setCertificateEntry("hearth", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(trusted);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, factory.getTrustManagers(), null);
        return context;
    }

    private void roundTrip(MqttClient subscriber, MqttClient publisher) throws Exception {
        BlockingQueue<String> inbox = new LinkedBlockingQueue<>();
        subscriber.subscribe("garden/#", 1, (topic, message) -> inbox.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
        publisher.publish("garden/soil", "dry".getBytes(StandardCharsets.UTF_8), 1, false);
        assertThat(inbox.poll(5, TimeUnit.SECONDS)).isEqualTo("dry");
    }

    @Test
    void tlsClientsThatTrustTheHubsOwnCertificateConnectWithHostnameChecks() throws Exception {
        running = RunningBroker.open();
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(trustingTheHub().getSocketFactory());
        options.setHttpsHostnameVerificationEnabled(true);
        String uri = "ssl://127.0.0.1:" + running.tlsPort;
        roundTrip(connect(uri, "tls-subscriber", options), connect(uri, "tls-publisher", options));
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateIsNotLetIn() throws Exception {
        running = RunningBroker.open();
        MqttConnectOptions options = new MqttConnectOptions();
        options.setSocketFactory(SSLContext.getDefault().getSocketFactory());
        assertThatThrownBy(() -> connect("ssl://127.0.0.1:" + running.tlsPort, "suspicious", options))
                .isInstanceOf(MqttException.class);
    }

    @Test
    void theKeyIsPrivateAndTheCertificateIsKeptAcrossRestarts() throws Exception {
        running = RunningBroker.open();
        byte[] before = Files.readAllBytes(certificate());
        for (String secret : new String[] {"tls/server.p12", "tls/server.pass"}) {
            Path file = running.dataDir.resolve(secret);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).as(secret).isEqualTo("rw-------");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(running.dataDir.resolve("tls"))))
                .isEqualTo("rwx------");
        assertThat(Files.readString(certificate())).startsWith("-----BEGIN CERTIFICATE-----");
        running = running.restart();
        assertThat(Files.readAllBytes(certificate())).isEqualTo(before);
    }

    @Test
    void webSocketClientsTalkToTcpClients() throws Exception {
        running = RunningBroker.open();
        MqttClient browserLike = connect("ws://127.0.0.1:" + running.websocketPort + "/mqtt", "ws-subscriber",
                new MqttConnectOptions());
        MqttClient device = connect(running.tcp(), "tcp-publisher", new MqttConnectOptions());
        roundTrip(browserLike, device);
    }

    @Test
    void mosquittoSubscribesOverTlsCheckingTheCertificate() throws Exception {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/mosquitto_sub"));
        if (Boolean.getBoolean("hearth.e2e.required")) {
            assertThat(installed).as("mosquitto-clients installed").isTrue();
        }
        assumeTrue(installed, "mosquitto-clients not installed");
        running = RunningBroker.open();
        MqttClient publisher = connect(running.tcp(), "publisher", new MqttConnectOptions());
        publisher.publish("garden/soil", "wet".getBytes(StandardCharsets.UTF_8), 1, true);
        Process sub = new ProcessBuilder("mosquitto_sub", "-h", "localhost", "-p", Integer.toString(running.tlsPort),
                "--cafile", certificate().toString(), "-t", "garden/#", "-C", "1", "-W", "5").redirectErrorStream(true).start();
        assertThat(sub.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(new String(sub.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip()).isEqualTo("wet");
    }
}
