package io.hearth.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.lifecycle.MqttDisconnectSource;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.Mqtt5ClientBuilder;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import io.hearth.core.testing.FreePorts;
import io.hearth.shadow.RunningShadows;
import io.hearth.shadow.TestCertificates;
import io.hearth.web.auth.IdentityStore;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Devices that log in with a TLS client certificate: the authority in {@code tls/client-ca.pem}
 * vouches for the certificate, its CN names the credential, and the credential's rights apply.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MqttCertificateTest {

    private static final String DEVICE = "porch-sensor";

    @TempDir
    static Path dir;
    private static TestCertificates trusted;
    /** The same name, vouched for by an authority the hub does not trust. */
    private static TestCertificates strangers;
    private RunningShadows hub;
    private int tlsPort;
    private final List<Mqtt5BlockingClient> clients = new ArrayList<>();
    private final CompletableFuture<Throwable> endedByHub = new CompletableFuture<>();

    @BeforeAll
    static void makeCertificates() throws Exception {
        CompletableFuture<TestCertificates> stranger = CompletableFuture.supplyAsync(() -> certificates("stranger"));
        trusted = TestCertificates.make(dir.resolve("trusted"), DEVICE);
        strangers = stranger.get(120, TimeUnit.SECONDS);
    }

    @BeforeEach
    void start() throws Exception {
        tlsPort = FreePorts.next();
        hub = RunningShadows.start(config -> config.withMqtt(config.mqtt().withAllowAnonymous(false)
                .withPorts(config.mqtt().port(), tlsPort, 0)));
        hub.bean(IdentityStore.class).addCredential(DEVICE, "unused-long-password".toCharArray(), List.of());
    }

    private static TestCertificates certificates(String sub) {
        try {
            return TestCertificates.make(dir.resolve(sub), DEVICE);
        } catch (Exception e) {
            throw new java.util.concurrent.CompletionException(e);
        }
    }

    @AfterEach
    void stop() {
        for (Mqtt5BlockingClient client : clients) {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        }
        hub.close();
    }

    private void trustDeviceAuthority() throws Exception {
        Files.copy(trusted.caPem, hub.dataDir.resolve("tls").resolve("client-ca.pem"));
    }

    /** A TLS client that trusts the hub's own certificate and presents {@code certificates}' client certificate. */
    private Mqtt5BlockingClient client(String id, TestCertificates certificates) throws Exception {
        KeyStore own = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(certificates.clientStore)) {
            own.load(in, TestCertificates.PASS.toCharArray());
        }
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(own, TestCertificates.PASS.toCharArray());
        KeyStore hubs = KeyStore.getInstance(KeyStore.getDefaultType());
        hubs.load(null, null);
        try (InputStream in = Files.newInputStream(hub.dataDir.resolve("tls").resolve("server.crt"))) {
            hubs.setCertificateEntry("hub", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(hubs);
        Mqtt5ClientBuilder builder = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(tlsPort)
                .sslConfig().keyManagerFactory(keys).trustManagerFactory(trust).applySslConfig()
                .addDisconnectedListener(context -> {
                    if (context.getSource() == MqttDisconnectSource.SERVER) {
                        endedByHub.complete(context.getCause());
                    }
                });
        Mqtt5BlockingClient client = builder.buildBlocking();
        clients.add(client);
        return client;
    }

    private static void publish(Mqtt5BlockingClient client, String topic) {
        client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"state\":{\"reported\":{\"temperature\":8}}}".getBytes(StandardCharsets.UTF_8)).send();
    }

    @Test
    void aCertificateFromTheTrustedAuthorityIsTheDevicesLoginWithTheDevicesRights() throws Exception {
        // Without client-ca.pem the hub asks for no certificate: the device is just anonymous.
        assertThatThrownBy(() -> client(DEVICE, trusted).connect())
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED));

        trustDeviceAuthority();
        Mqtt5BlockingClient device = client(DEVICE, trusted);
        assertThat(device.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        publish(device, "$aws/things/" + DEVICE + "/shadow/update");
        assertThatThrownBy(() -> publish(device, "$aws/things/front-door/shadow/update"))
                .isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
    }

    @Test
    void theCertificatesNameRulesTheClientIdAndTheUserName() throws Exception {
        trustDeviceAuthority();
        assertThatThrownBy(() -> client("front-door", trusted).connect())
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID));
        assertThatThrownBy(() -> client(DEVICE, trusted).connectWith().simpleAuth().username("front-door")
                .password("x".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send())
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> {
                    assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
                    assertThat(e.getMqttMessage().getReasonString()).hasValueSatisfying(
                            reason -> assertThat(reason.toString()).contains(DEVICE));
                });
        assertThat(client(DEVICE + "/second", trusted).connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
    }

    @Test
    void aCertificateOnlyCredentialOpensWithTheCertificateAndWithNoPassword() throws Exception {
        trustDeviceAuthority();
        IdentityStore identities = hub.bean(IdentityStore.class);
        identities.revokeCredential(DEVICE);
        identities.addCertificateCredential(DEVICE, List.of());

        Mqtt5BlockingClient device = client(DEVICE, trusted);
        assertThat(device.connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        publish(device, "$aws/things/" + DEVICE + "/shadow/update");

        Mqtt5BlockingClient withPassword = Mqtt5Client.builder().identifier(DEVICE + "/password")
                .serverHost("127.0.0.1").serverPort(hub.mqttPort).buildBlocking();
        clients.add(withPassword);
        assertThatThrownBy(() -> withPassword.connectWith().simpleAuth().username(DEVICE)
                .password("unused-long-password".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send())
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
    }

    @Test
    void aCertificateFromAnotherAuthorityFailsTheHandshake() throws Exception {
        trustDeviceAuthority();
        assertThatThrownBy(() -> client(DEVICE, strangers).connect()).isNotInstanceOf(Mqtt5ConnAckException.class);
        assertThat(client(DEVICE, trusted).connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
    }

    @Test
    void revokingTheCredentialEndsTheSessionAtOnceAndMakesTheCertificateUseless() throws Exception {
        trustDeviceAuthority();
        Mqtt5BlockingClient device = client(DEVICE, trusted);
        device.connect();

        long revoked = System.nanoTime();
        hub.bean(IdentityStore.class).revokeCredential(DEVICE);
        Throwable cause = endedByHub.get(1, TimeUnit.SECONDS);
        System.out.printf("[measure] certificate login revoked; disconnected after %d ms%n",
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revoked));
        assertThat(cause).isInstanceOfSatisfying(Mqtt5DisconnectException.class, e -> assertThat(
                e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION));
        assertThatThrownBy(() -> client(DEVICE, trusted).connect())
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> assertThat(e.getMqttMessage().getReasonCode())
                        .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD));
    }
}
