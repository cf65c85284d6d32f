package io.hearth.web.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.MqttGlobalPublishFilter;
import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAck;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.publish.puback.Mqtt5PubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5SubAckException;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import io.hearth.core.auth.Role;
import io.hearth.shadow.RunningShadows;
import io.hearth.web.testing.TestHubs;
import io.hearth.web.auth.IdentityStore;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The broker's security rules with the shipped defaults (anonymous refused), over real MQTT
 * connections of an independent client, against the real identity store.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MqttSecurityTest {

    private RunningShadows hub;
    private IdentityStore identities;
    private final List<Runnable> disconnects = new ArrayList<>();

    @BeforeEach
    void start() throws Exception {
        hub = TestHubs.withoutZigbee(config -> config.withMqtt(config.mqtt().withAllowAnonymous(false)));
        identities = hub.bean(IdentityStore.class);
        identities.addCredential("kitchen-sensor", "kitchen-password".toCharArray(), List.of("home/kitchen/#"));
        identities.addCredential("door", "door-password".toCharArray(), List.of());
    }

    @AfterEach
    void stop() {
        disconnects.forEach(disconnect -> {
            try {
                disconnect.run();
            } catch (RuntimeException alreadyGone) {
                // the test ended it
            }
        });
        hub.close();
    }

    private Mqtt5BlockingClient client(String id) {
        Mqtt5BlockingClient client = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(hub.mqttPort)
                .buildBlocking();
        disconnects.add(client::disconnect);
        return client;
    }

    private Mqtt5ConnAck login(Mqtt5BlockingClient client, String user, String password) {
        return client.connectWith().simpleAuth().username(user).password(password.getBytes(StandardCharsets.UTF_8))
                .applySimpleAuth().send();
    }

    /** The SUBACK's reason codes, also when the client reports an all-refused SUBACK as an exception. */
    private static List<Mqtt5SubAckReasonCode> subscribe(Mqtt5BlockingClient client, String filter) {
        try {
            return client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send().getReasonCodes();
        } catch (Mqtt5SubAckException e) {
            return e.getMqttMessage().getReasonCodes();
        }
    }

    private static Mqtt5ConnAckReasonCode refusal(Runnable connect) {
        try {
            connect.run();
        } catch (Mqtt5ConnAckException e) {
            return e.getMqttMessage().getReasonCode();
        }
        throw new AssertionError("the connection was accepted");
    }

    @Test
    void anonymousClientsAreRefusedByDefaultInBothProtocolVersions() {
        assertThat(refusal(() -> client("nobody").connect())).isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
        Mqtt3BlockingClient v3 = Mqtt3Client.builder().identifier("nobody3").serverHost("127.0.0.1").serverPort(hub.mqttPort)
                .buildBlocking();
        assertThatThrownBy(v3::connect).isInstanceOfSatisfying(Mqtt3ConnAckException.class, e ->
                assertThat(e.getMqttMessage().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.NOT_AUTHORIZED));
    }

    @Test
    void wrongPasswordsUnknownNamesAndWildcardNamesAreRefusedAsBadCredentials() {
        assertThat(refusal(() -> login(client("door"), "door", "not-the-password")))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(refusal(() -> login(client("ghost"), "ghost", "door-password")))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(refusal(() -> login(client("a"), "door/#", "door-password")))
                .isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
        assertThat(refusal(() -> login(client("b"), "shadow-service", "anything-at-all")))
                .as("the hub's own modules cannot be logged into").isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);
    }

    @Test
    void aDeviceCannotTakeAnotherIdentitysClientId() {
        assertThat(refusal(() -> login(client("kitchen-sensor"), "door", "door-password")))
                .isEqualTo(Mqtt5ConnAckReasonCode.CLIENT_IDENTIFIER_NOT_VALID);
        assertThat(login(client("door"), "door", "door-password").getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        assertThat(login(client("door/backup"), "door", "door-password").getReasonCode())
                .isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        Mqtt5ConnAck assigned = login(client(""), "door", "door-password");
        assertThat(assigned.getAssignedClientIdentifier().orElseThrow().toString()).startsWith("door/");
    }

    @Test
    void aDeviceUsesItsOwnShadowAndGrantsButCannotReadOrWriteAnotherDevice() {
        Mqtt5BlockingClient sensor = client("kitchen-sensor");
        login(sensor, "kitchen-sensor", "kitchen-password");
        assertThat(subscribe(sensor, "$aws/things/kitchen-sensor/shadow/#")).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        assertThat(subscribe(sensor, "home/kitchen/+")).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        for (String forbidden : List.of("$aws/things/door/shadow/#", "#", "$aws/things/+/shadow/#", "home/#")) {
            assertThat(subscribe(sensor, forbidden)).as(forbidden).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
        }
        sensor.publishWith().topic("$aws/things/kitchen-sensor/shadow/update").qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"state\":{\"reported\":{\"temperature\":21}}}".getBytes(StandardCharsets.UTF_8)).send();
        assertThatThrownBy(() -> sensor.publishWith().topic("$aws/things/door/shadow/update").qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"state\":{\"reported\":{\"contact\":false}}}".getBytes(StandardCharsets.UTF_8)).send())
                .isInstanceOfSatisfying(Mqtt5PubAckException.class, e ->
                        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.NOT_AUTHORIZED));
    }

    @Test
    void aRevokedCredentialIsDisconnectedWithinASecondAndCannotResumeItsSession() throws Exception {
        Mqtt5BlockingClient door = client("door");
        CompletableFuture<Mqtt5DisconnectReasonCode> closed = new CompletableFuture<>();
        Mqtt5BlockingClient watched = Mqtt5Client.builder().identifier("door").serverHost("127.0.0.1").serverPort(hub.mqttPort)
                .addDisconnectedListener(context -> closed.complete(context.getCause() instanceof
                        com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException e
                        ? e.getMqttMessage().getReasonCode() : null))
                .buildBlocking();
        watched.connectWith().cleanStart(false).sessionExpiryInterval(3600).simpleAuth().username("door")
                .password("door-password".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
        watched.subscribeWith().topicFilter("$aws/things/door/shadow/update/delta").qos(MqttQos.AT_LEAST_ONCE).send();

        long revokedAt = System.nanoTime();
        identities.revokeCredential("door");
        assertThat(closed.get(1, TimeUnit.SECONDS)).isEqualTo(Mqtt5DisconnectReasonCode.ADMINISTRATIVE_ACTION);
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - revokedAt)).isLessThan(1_000);
        assertThat(refusal(() -> login(door, "door", "door-password"))).isEqualTo(Mqtt5ConnAckReasonCode.BAD_USER_NAME_OR_PASSWORD);

        identities.addCredential("door", "door-password-2".toCharArray(), List.of());
        Mqtt5BlockingClient again = client("door");
        Mqtt5ConnAck resumed = again.connectWith().cleanStart(false).sessionExpiryInterval(3600).simpleAuth().username("door")
                .password("door-password-2".getBytes(StandardCharsets.UTF_8)).applySimpleAuth().send();
        assertThat(resumed.isSessionPresent()).as("the revoked identity's session is gone").isFalse();
    }

    @Test
    void anOwnersApiTokenIsAnMqttPasswordWithEveryRightAndAMembersIsRefused() throws Exception {
        identities.addUser("alice", Role.OWNER, "alice-password".toCharArray());
        identities.addUser("bob", Role.MEMBER, "bob-password".toCharArray());
        Mqtt5BlockingClient alice = client("alice");
        login(alice, "alice", identities.issueToken("alice", "mqtt").secret());
        assertThat(subscribe(alice, "#")).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
        String bobsToken = identities.issueToken("bob", "mqtt").secret();
        assertThat(refusal(() -> login(client("bob"), "bob", bobsToken)))
                .isEqualTo(Mqtt5ConnAckReasonCode.NOT_AUTHORIZED);
    }

    @Test
    void guessingAPasswordIsThrottledEvenWhenTheRightOneFinallyComes() {
        Mqtt5ConnAckReasonCode last = null;
        for (int i = 0; i < 8 && last != Mqtt5ConnAckReasonCode.CONNECTION_RATE_EXCEEDED; i++) {
            int attempt = i;
            last = refusal(() -> login(client("door"), "door", "guess-" + attempt));
        }
        assertThat(last).isEqualTo(Mqtt5ConnAckReasonCode.CONNECTION_RATE_EXCEEDED);
        assertThat(refusal(() -> login(client("door"), "door", "door-password")))
                .isEqualTo(Mqtt5ConnAckReasonCode.CONNECTION_RATE_EXCEEDED);
    }

    @Test
    void retainedMessagesOfAnotherDeviceAreNeverDelivered() throws Exception {
        identities.addUser("alice", Role.OWNER, "alice-password".toCharArray());
        Mqtt5BlockingClient owner = client("alice");
        login(owner, "alice", identities.issueToken("alice", "mqtt").secret());
        owner.publishWith().topic("hearth/devices/door/state").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload("{\"contact\":true}".getBytes(StandardCharsets.UTF_8)).send();
        owner.publishWith().topic("home/kitchen/light").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload("on".getBytes(StandardCharsets.UTF_8)).send();
        Mqtt5BlockingClient sensor = client("kitchen-sensor");
        login(sensor, "kitchen-sensor", "kitchen-password");
        try (Mqtt5BlockingClient.Mqtt5Publishes received = sensor.publishes(MqttGlobalPublishFilter.ALL)) {
            assertThat(subscribe(sensor, "home/kitchen/#")).containsExactly(Mqtt5SubAckReasonCode.GRANTED_QOS_1);
            assertThat(subscribe(sensor, "hearth/devices/door/#")).containsExactly(Mqtt5SubAckReasonCode.NOT_AUTHORIZED);
            assertThat(received.receive(5, TimeUnit.SECONDS).orElseThrow().getTopic().toString()).isEqualTo("home/kitchen/light");
            assertThat(received.receive(300, TimeUnit.MILLISECONDS)).isEmpty();
        }
    }

    @Test
    void aDeviceBeyondItsRetainedQuotaIsRefusedWithQuotaExceeded() {
        Mqtt5BlockingClient sensor = client("kitchen-sensor");
        login(sensor, "kitchen-sensor", "kitchen-password");
        byte[] megabyte = new byte[1024 * 1024 - 100];
        for (int i = 0; i < 4; i++) {
            sensor.publishWith().topic("home/kitchen/blob-" + i).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(megabyte).send();
        }
        assertThatThrownBy(() -> sensor.publishWith().topic("home/kitchen/blob-4").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload(megabyte).send())
                .isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> {
                    assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
                    assertThat(e.getMqttMessage().getReasonString().orElseThrow().toString()).contains("bytes of retained messages");
                });
        sensor.publishWith().topic("home/kitchen/blob-0").retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(new byte[0]).send();
        sensor.publishWith().topic("home/kitchen/blob-4").retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(megabyte).send();
    }

    @Test
    void theRetainedQuotaIsASetting() throws Exception {
        hub.close();
        hub = TestHubs.withoutZigbee(config -> config.withMqtt(config.mqtt().withAllowAnonymous(false)
                .withRetainedQuota(2, 64 * 1024)));
        hub.bean(IdentityStore.class).addCredential("kitchen-sensor", "kitchen-password".toCharArray(),
                List.of("home/kitchen/#"));
        Mqtt5BlockingClient sensor = client("kitchen-sensor");
        login(sensor, "kitchen-sensor", "kitchen-password");
        byte[] small = "21.5".getBytes(StandardCharsets.UTF_8);
        for (String room : new String[] {"home/kitchen/a", "home/kitchen/b"}) {
            sensor.publishWith().topic(room).retain(true).qos(MqttQos.AT_LEAST_ONCE).payload(small).send();
        }
        assertThatThrownBy(() -> sensor.publishWith().topic("home/kitchen/c").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload(small).send())
                .isInstanceOfSatisfying(Mqtt5PubAckException.class, e -> {
                    assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED);
                    assertThat(e.getMqttMessage().getReasonString().orElseThrow().toString())
                            .contains("already keeps 2 retained messages");
                });
        assertThatThrownBy(() -> sensor.publishWith().topic("home/kitchen/a").retain(true).qos(MqttQos.AT_LEAST_ONCE)
                .payload(new byte[65 * 1024]).send())
                .as("the byte limit applies too")
                .isInstanceOfSatisfying(Mqtt5PubAckException.class, e ->
                        assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5PubAckReasonCode.QUOTA_EXCEEDED));
    }
}
