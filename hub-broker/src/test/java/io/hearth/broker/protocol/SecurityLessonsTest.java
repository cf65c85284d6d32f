package io.hearth.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.broker.Broker;
import io.hearth.broker.RunningBroker;
import io.hearth.broker.session.Session;
import io.hearth.broker.session.SessionRegistry;
import io.hearth.core.config.AclRule;
import io.hearth.core.config.InvalidConfigException;
import io.hearth.core.config.MqttConfig;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.mqtt.MqttConnAckMessage;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageIdAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageIdVariableHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttReasonCodeAndPropertiesVariableHeader;
import io.netty.handler.codec.mqtt.MqttSubAckMessage;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * One test per lesson of "Broker security lessons" (research/mqtt.md), drawn from Mosquitto's and
 * Moquette's vulnerability history, as far as the broker's features reach today. Raw bytes over a
 * real socket where the listener's own pipeline matters (what happens before CONNECT), the
 * EmbeddedChannel pipeline elsewhere so the order of events is exact.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecurityLessonsTest {

    /** How long a refusal may take to close the socket; the broker answers in milliseconds. */
    private static final int PROMPTLY_MS = 2000;
    private static final int MAX_PACKET_SIZE = 1_048_576;
    private static final int RECEIVE_MAXIMUM = 16;
    /** The configured session queue bound (hearth.mqtt.max-queued-messages), below the default to prove it is used. */
    private static final int QUEUE_BOUND = 2_000;

    private final StoredBroker stored = new StoredBroker(List.of());
    private final Broker broker = stored.broker;
    private final SessionRegistry sessions = new SessionRegistry();
    private final MqttConfig config = new MqttConfig(0, 0, 0, true, 60, MAX_PACKET_SIZE, RECEIVE_MAXIMUM, 100, QUEUE_BOUND, List.of());
    private final List<WireClient> clients = new ArrayList<>();
    private RunningBroker running;

    @AfterEach
    void closeEverything() {
        clients.forEach(WireClient::close);
        stored.close();
        if (running != null) {
            running.close();
        }
    }

    // ---- + and # in identities (CVE-2017-7650); fail closed on a missing identity ---------------

    @Test
    void aClientIdWithAWildcardIsRefused() throws Exception {
        running = RunningBroker.open();
        // A client id of "#" or "+" would widen any rule that names the client id.
        for (String id : List.of("#", "a/+", "sensor/#")) {
            assertThat(refusal(connect(4, id, null))).as("MQTT 3.1.1 CONNACK for %s", id).isEqualTo(0x02);
            assertThat(refusal(connect(5, id, null))).as("MQTT 5 CONNACK for %s", id).isEqualTo(0x85);
        }
        // The same broker takes an ordinary id, so the refusals were about the wildcards.
        assertThat(refusal(connect(4, "plain", null))).isEqualTo(0x00);
    }

    @Test
    void aClientWithoutAnIdentityIsRefusedByDefault() throws Exception {
        running = RunningBroker.closedToAnonymous();
        assertThat(refusal(connect(4, "nobody", null))).as("MQTT 3.1.1: not authorized").isEqualTo(0x05);
        assertThat(refusal(connect(5, "nobody", null))).as("MQTT 5: not authorized").isEqualTo(0x87);
    }

    // ---- memory before CONNECT (CVE-2017-7651, CVE-2023-0809) -----------------------------------

    @Test
    void aHugeRemainingLengthBeforeConnectAllocatesNothing() throws Exception {
        running = RunningBroker.open();
        try (Socket socket = socket()) {
            // CONNECT announcing 268,435,455 bytes, the most MQTT can encode, and nothing after it:
            // a broker that waits to buffer the body keeps the socket open.
            socket.getOutputStream().write(new byte[] {0x10, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F});
            assertThat(closedPromptly(socket)).as("closed on the header alone").isTrue();
        }
    }

    @Test
    void aPacketOtherThanConnectFirstClosesTheConnection() throws Exception {
        running = RunningBroker.open();
        try (Socket socket = socket()) {
            socket.getOutputStream().write(new byte[] {(byte) 0xC0, 0x00});
            ReadResult result = readUntilClosed(socket);
            assertThat(result.closed).as("closed after a PINGREQ before CONNECT").isTrue();
            assertThat(result.bytes).as("no PINGRESP to a client that never connected").isEmpty();
        }
    }

    @Test
    void aPacketOtherThanConnectFirstIsRefusedBeforeItsBodyIsBuffered() throws Exception {
        running = RunningBroker.open();
        try (Socket socket = socket()) {
            // A PUBLISH header announcing 1,000,000 bytes, under max-packet-size: the first byte
            // already says this is not CONNECT, so nothing of the body should be waited for or
            // kept (Mosquitto's CVE-2023-0809: every such connection could hold a full packet).
            socket.getOutputStream().write(new byte[] {0x30, (byte) 0xC0, (byte) 0x84, 0x3D});
            assertThat(closedPromptly(socket)).as("closed on the header alone").isTrue();
        }
    }

    @Test
    void aConnectThatNeverArrivesInFullIsDroppedAfterTheConnectTimeout() {
        WireClient client = client();
        // A CONNECT announcing 1000 bytes, of which ten ever come.
        client.write(new byte[] {0x10, (byte) 0xE8, 0x07, 0, 4, 'M', 'Q', 'T', 'T', 4, 2, 0});
        client.channel.advanceTimeBy(MqttConnection.CONNECT_TIMEOUT_SECONDS - 1, TimeUnit.SECONDS);
        client.channel.runScheduledPendingTasks();
        assertThat(client.isOpen()).as("still open before the timeout").isTrue();
        client.channel.advanceTimeBy(1, TimeUnit.SECONDS);
        client.channel.runScheduledPendingTasks();
        client.channel.runPendingTasks();
        assertThat(client.isOpen()).as("closed at the timeout").isFalse();
        assertThat(client.unreleasedInputBuffers()).as("the partial CONNECT's bytes are released").isZero();
    }

    // ---- empty or unreadable access configuration (CVE-2018-12550) ------------------------------

    @Test
    void anEmptyConfigurationAdmitsNoUserName() throws Exception {
        running = RunningBroker.closedToAnonymous();
        // No credentials are configured (none can be yet): an empty store must mean nobody,
        // whatever name and password a client brings.
        assertThat(refusal(connect(4, "c1", "admin"))).as("MQTT 3.1.1: bad user name or password").isEqualTo(0x04);
        assertThat(refusal(connect(5, "c1", "admin"))).as("MQTT 5: bad user name or password").isEqualTo(0x86);
        assertThat(refusal(connect(5, "c1", ""))).as("an empty user name too").isEqualTo(0x86);
    }

    @Test
    void anAclRuleThatCannotBeReadStopsTheConfigurationInsteadOfBeingSkipped() {
        // Skipping an unreadable rule would silently drop a deny: the whole configuration must fail.
        assertThatThrownBy(() -> new AclRule(AclRule.Effect.DENY, AclRule.Action.ALL, "a/#/b", null))
                .isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> new AclRule(null, AclRule.Action.ALL, "secret/#", null))
                .isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> new AclRule(AclRule.Effect.DENY, AclRule.Action.ALL, "secret/#", " "))
                .isInstanceOf(InvalidConfigException.class);
        List<AclRule> withABlankEntry = Arrays.asList(
                new AclRule(AclRule.Effect.DENY, AclRule.Action.ALL, "secret/#", null), null);
        assertThatThrownBy(() -> new MqttConfig(1883, 0, 0, false, 60, MAX_PACKET_SIZE, 16, 100, 100, withABlankEntry))
                .isInstanceOf(InvalidConfigException.class);
        assertThatThrownBy(() -> new MqttConfig(1883, 0, 0, false, 60, MAX_PACKET_SIZE, 16, 100, 100, null))
                .isInstanceOf(InvalidConfigException.class);
    }

    // ---- QoS 2 duplicates, will properties, user properties (CVE-2023-28366, CVE-2023-3592) -----

    @Test
    void duplicateQos2PacketIdsAreDeliveredOnceAndHoldOneSlot() {
        WireClient subscriber = connected(4, "subscriber", new MqttProperties());
        subscriber.send(subscribe(1, MqttProperties.NO_PROPERTIES, "dup/t", MqttQoS.EXACTLY_ONCE));
        subscriber.received();
        WireClient publisher = connected(5, "publisher", new MqttProperties());
        for (int i = 0; i < 2000; i++) {
            publisher.send(publish("dup/t", MqttQoS.EXACTLY_ONCE, 7, "once", MqttProperties.NO_PROPERTIES));
        }
        List<MqttMessage> answers = publisher.received();
        assertThat(answers).hasSize(2000).allMatch(m -> m.fixedHeader().messageType() == MqttMessageType.PUBREC);
        assertThat(publishes(subscriber.received())).as("deliveries of the repeated message").hasSize(1);

        // The 2000 copies took one of the 16 slots: 15 more distinct ids fit, the 17th does not.
        for (int id = 100; id < 100 + RECEIVE_MAXIMUM - 1; id++) {
            publisher.send(publish("dup/t", MqttQoS.EXACTLY_ONCE, id, "more", MqttProperties.NO_PROPERTIES));
        }
        assertThat(publisher.received()).allMatch(m -> m.fixedHeader().messageType() == MqttMessageType.PUBREC);
        assertThat(publisher.isOpen()).isTrue();
        publisher.send(publish("dup/t", MqttQoS.EXACTLY_ONCE, 999, "one too many", MqttProperties.NO_PROPERTIES));
        assertThat(disconnectReason(publisher.received())).as("receive maximum exceeded").isEqualTo(0x93);
        assertThat(publisher.unreleasedInputBuffers()).as("input buffers not released").isZero();
    }

    @Test
    void qos1PublishesBeingStoredCountAgainstTheReceiveMaximum() throws Exception {
        running = RunningBroker.open();
        WireClient.ClientCodecs codecs = new WireClient.ClientCodecs();
        // A persistent session makes each QoS 1 copy wait for its commit, and the PUBACK with it.
        MqttProperties kept = new MqttProperties();
        kept.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, 3600));
        try (Socket keeper = socket()) {
            WireClient.ClientCodecs.Codec v5 = codecs.of(MqttVersion.MQTT_5);
            ByteArrayOutputStream subscribing = new ByteArrayOutputStream();
            subscribing.writeBytes(v5.encode(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5)
                    .clientId("keeper").cleanSession(false).properties(kept).build()));
            subscribing.writeBytes(v5.encode(subscribe(1, MqttProperties.NO_PROPERTIES, "kept/t", MqttQoS.AT_LEAST_ONCE)));
            keeper.getOutputStream().write(subscribing.toByteArray());
            assertThat(packetsUntil(keeper, MqttMessageType.SUBACK, 1)).as("SUBACK").hasSize(1);

            // While the journal is held no copy can become durable, so no publish can be acknowledged.
            CountDownLatch held = new CountDownLatch(1);
            running.journal.submit(connection -> awaitQuietly(held));
            try (Socket atTheLimit = socket(); Socket overTheLimit = socket(); Socket v3 = socket()) {
                atTheLimit.getOutputStream().write(connectAndQos1Burst(codecs, MqttVersion.MQTT_5, RECEIVE_MAXIMUM));
                overTheLimit.getOutputStream().write(connectAndQos1Burst(codecs, MqttVersion.MQTT_5, RECEIVE_MAXIMUM + 1));
                // MQTT 3.1.1 grants no window: the same burst only waits for its acknowledgements.
                v3.getOutputStream().write(connectAndQos1Burst(codecs, MqttVersion.MQTT_3_1_1, RECEIVE_MAXIMUM + 1));

                ReadResult over = readUntilClosed(overTheLimit);
                assertThat(over.closed).as("closed for exceeding the receive maximum").isTrue();
                assertThat(packets(over.bytes)).last().satisfies(disconnect -> {
                    assertThat(disconnect[0] & 0xFF).as("DISCONNECT").isEqualTo(0xE0);
                    assertThat(disconnect[2] & 0xFF).as("reason code").isEqualTo(0x93);
                });
                held.countDown();

                assertThat(packetsUntil(atTheLimit, MqttMessageType.PUBACK, RECEIVE_MAXIMUM))
                        .as("a full window, acknowledged once stored").hasSize(RECEIVE_MAXIMUM);
                assertThat(packetsUntil(v3, MqttMessageType.PUBACK, RECEIVE_MAXIMUM + 1)).hasSize(RECEIVE_MAXIMUM + 1);
            } finally {
                held.countDown();
            }
        }
    }

    private static byte[] connectAndQos1Burst(WireClient.ClientCodecs codecs, MqttVersion version, int publishes) {
        WireClient.ClientCodecs.Codec codec = codecs.of(version);
        ByteArrayOutputStream burst = new ByteArrayOutputStream();
        burst.writeBytes(codec.encode(MqttMessageBuilders.connect().protocolVersion(version)
                .clientId("burst-" + version + "-" + publishes).cleanSession(true).build()));
        for (int id = 1; id <= publishes; id++) {
            burst.writeBytes(codec.encode(publish("kept/t", MqttQoS.AT_LEAST_ONCE, id, "m" + id, MqttProperties.NO_PROPERTIES)));
        }
        return burst.toByteArray();
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void willPropertiesAreReleasedWithTheirConnection() {
        WireClient watcher = connected(5, "watcher", new MqttProperties());
        watcher.send(subscribe(1, MqttProperties.NO_PROPERTIES, "will/#", MqttQoS.AT_MOST_ONCE));
        watcher.received();
        int wills = 0;
        for (int i = 0; i < 200; i++) {
            WireClient client = client();
            MqttProperties will = userProperties(50);
            will.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, new byte[64]));
            will.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, "text/plain"));
            client.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("w" + i)
                    .willFlag(true).willTopic("will/" + i).willMessage("gone".getBytes(StandardCharsets.UTF_8))
                    .willProperties(will).build());
            assertThat(connAck(client.received())).isEqualTo(0);
            if (i % 2 == 0) {
                // A normal DISCONNECT: the will and its properties are dropped unsent.
                client.send(MqttMessageBuilders.disconnect().reasonCode((byte) 0).build());
            } else {
                wills++;
            }
            client.close();
            assertThat(client.unreleasedInputBuffers()).as("input buffers of connection %d", i).isZero();
        }
        List<MqttPublishMessage> published = publishes(watcher.received());
        assertThat(published).as("wills of the connections that vanished").hasSize(wills);
        assertThat(published).allSatisfy(m -> assertThat(
                m.variableHeader().properties().getProperties(MqttProperties.USER_PROPERTY)).hasSize(50));
        assertThat(sessions.size()).as("sessions left: only the watcher's").isEqualTo(1);
    }

    @Test
    void thousandsOfUserPropertiesDoNotBurnCpu() {
        WireClient subscriber = connected(5, "subscriber", new MqttProperties());
        subscriber.send(subscribe(1, MqttProperties.NO_PROPERTIES, "props", MqttQoS.AT_MOST_ONCE));
        subscriber.received();
        WireClient publisher = connected(5, "publisher", new MqttProperties());
        int count = 200_000;
        // 200,000 empty user properties fill a 1 MB packet; handling must stay linear in them.
        byte[] packet = publishWithEmptyUserProperties("props", count);
        assertThat(packet.length).isLessThanOrEqualTo(MAX_PACKET_SIZE);
        long start = System.nanoTime();
        publisher.write(packet);
        List<MqttPublishMessage> delivered = publishes(subscriber.received());
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(delivered).hasSize(1);
        assertThat(delivered.get(0).variableHeader().properties().getProperties(MqttProperties.USER_PROPERTY))
                .hasSize(count);
        // Linear handling takes well under a second on this machine; quadratic would take minutes.
        assertThat(millis).as("milliseconds to decode, route and re-encode the message").isLessThan(5000);
        assertThat(publisher.answersPing()).isTrue();
    }

    @Test
    void overlappingSubscriptionsWithIdentifiersDoNotMakeAPublishQuadratic() {
        WireClient subscriber = connected(5, "subscriber", new MqttProperties());
        // Every combination of "a" and "+" over 16 levels: 65,536 distinct filters, all matching
        // one topic, each with a subscription identifier. One client can make them.
        int levels = 16;
        List<String> filters = new ArrayList<>();
        for (int mask = 0; mask < 1 << levels; mask++) {
            StringBuilder filter = new StringBuilder();
            for (int level = 0; level < levels; level++) {
                filter.append(level == 0 ? "" : "/").append((mask >> level & 1) == 1 ? "+" : "a");
            }
            filters.add(filter.toString());
        }
        MqttProperties identifier = new MqttProperties();
        identifier.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, 1));
        for (int from = 0; from < filters.size(); from += 16_384) {
            subscriber.send(subscribe(1 + from, identifier, filters.subList(from, from + 16_384), MqttQoS.AT_MOST_ONCE));
        }
        subscriber.received();
        assertThat(broker.subscriptionCount()).isEqualTo(filters.size());
        WireClient publisher = connected(5, "publisher", new MqttProperties());
        String topic = String.join("/", Collections.nCopies(levels, "a"));

        publisher.send(publish(topic, MqttQoS.AT_MOST_ONCE, 0, "warm-up", MqttProperties.NO_PROPERTIES));
        List<MqttPublishMessage> delivered = publishes(subscriber.received());
        assertThat(delivered).as("one copy, with every matching identifier").hasSize(1);
        assertThat(delivered.get(0).variableHeader().properties().getProperties(MqttProperties.SUBSCRIPTION_IDENTIFIER))
                .hasSize(filters.size());

        // The publisher's read runs the whole route on this thread: match, collect, encode.
        long start = System.nanoTime();
        publisher.send(publish(topic, MqttQoS.AT_MOST_ONCE, 0, "x", MqttProperties.NO_PROPERTIES));
        long millis = (System.nanoTime() - start) / 1_000_000;
        assertThat(publishes(subscriber.received())).hasSize(1);
        // Collecting 65,536 identifiers is linear work of milliseconds; copying the list on
        // every match is two billion element copies, seconds of an event loop for each publish.
        assertThat(millis).as("milliseconds to route one publish").isLessThan(1500);
    }

    // ---- zero-length topics, $share filters, depth, session queues, client-id collisions -------

    @Test
    void aZeroLengthTopicIsRefusedWithoutHarm() {
        WireClient v3 = connected(4, "v3", new MqttProperties());
        v3.send(subscribe(1, MqttProperties.NO_PROPERTIES, "", MqttQoS.AT_LEAST_ONCE));
        assertThat(subAckCodes(v3.received())).as("MQTT 3.1.1 SUBACK for an empty filter").containsExactly(0x80);
        assertThat(v3.answersPing()).as("the subscriber stays connected").isTrue();
        v3.send(publish("", MqttQoS.AT_LEAST_ONCE, 1, "x", MqttProperties.NO_PROPERTIES));
        v3.received();
        assertThat(v3.isOpen()).as("MQTT 3.1.1 publisher to an empty topic is disconnected").isFalse();

        WireClient v5 = connected(5, "v5", new MqttProperties());
        v5.send(subscribe(1, MqttProperties.NO_PROPERTIES, "", MqttQoS.AT_LEAST_ONCE));
        assertThat(subAckCodes(v5.received())).as("MQTT 5 SUBACK for an empty filter").containsExactly(0x8F);
        v5.send(publish("", MqttQoS.AT_LEAST_ONCE, 1, "x", MqttProperties.NO_PROPERTIES));
        assertThat(disconnectReason(v5.received())).as("topic name invalid").isEqualTo(0x90);
        assertThat(broker.subscriptionCount()).isZero();
        assertThat(broker.retainedCount()).isZero();
    }

    @Test
    void malformedSharedSubscriptionFiltersAreRefusedOneByOne() {
        WireClient client = connected(5, "sharer", new MqttProperties());
        List<String> malformed = List.of("$share/", "$share/g", "$share//a", "$share/g+/a", "$share/#/a", "$share/g/",
                "$share/g/a/#/b", "$share/g/a+");
        List<String> filters = new ArrayList<>(malformed);
        filters.add("$share/g/ok/#");
        client.send(subscribe(1, MqttProperties.NO_PROPERTIES, filters, MqttQoS.AT_LEAST_ONCE));
        List<Integer> codes = subAckCodes(client.received());
        assertThat(codes.subList(0, malformed.size())).as("one refusal per malformed filter").containsOnly(0x8F);
        assertThat(codes.get(malformed.size())).as("the good filter in the same packet").isEqualTo(1);
        assertThat(broker.subscriptionCount()).isEqualTo(1);
        assertThat(client.answersPing()).isTrue();
    }

    @Test
    void topicDepthIsBoundedAndAnyDepthIsRefusedWithoutRecursion() {
        WireClient subscriber = connected(5, "deep-subscriber", new MqttProperties());
        String deepest = String.join("/", Collections.nCopies(64, "a"));
        subscriber.send(subscribe(1, MqttProperties.NO_PROPERTIES, deepest, MqttQoS.AT_MOST_ONCE));
        // 30,000 levels, as many as an MQTT string holds: refused, and nothing recurses level by
        // level into a StackOverflowError on the way.
        String hugeFilter = String.join("/", Collections.nCopies(30_000, "+"));
        subscriber.send(subscribe(2, MqttProperties.NO_PROPERTIES, hugeFilter, MqttQoS.AT_MOST_ONCE));
        List<MqttMessage> answers = subscriber.received();
        assertThat(subAckCodes(answers.subList(0, 1))).as("64 levels are allowed").containsExactly(0);
        assertThat(subAckCodes(answers.subList(1, 2))).as("more are not").containsExactly(0x8F);

        WireClient publisher = connected(5, "deep-publisher", new MqttProperties());
        publisher.send(publish(deepest, MqttQoS.AT_MOST_ONCE, 0, "x", MqttProperties.NO_PROPERTIES));
        assertThat(publishes(subscriber.received())).as("a message at the deepest allowed level").hasSize(1);
        publisher.send(publish(String.join("/", Collections.nCopies(30_000, "a")), MqttQoS.AT_MOST_ONCE, 0, "x",
                MqttProperties.NO_PROPERTIES));
        assertThat(disconnectReason(publisher.received())).as("topic name invalid").isEqualTo(0x90);
        assertThat(broker.subscriptionCount()).isEqualTo(1);
    }

    @Test
    void aSessionQueueStopsGrowingAtItsBound() {
        MqttProperties keep = new MqttProperties();
        keep.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, 3600));
        WireClient away = connected(5, "away", keep);
        away.send(subscribe(1, MqttProperties.NO_PROPERTIES, "q", MqttQoS.AT_LEAST_ONCE));
        away.received();
        away.close();
        Session session = sessions.get("away");
        assertThat(session).as("the session outlives its connection").isNotNull();

        WireClient publisher = connected(4, "flood", new MqttProperties());
        int bound = QUEUE_BOUND;
        for (int i = 0; i < bound + 50; i++) {
            publisher.send(publish("q", MqttQoS.AT_LEAST_ONCE, 1 + i % 65_535, "m" + i, MqttProperties.NO_PROPERTIES));
            if (i % 1000 == 0) {
                publisher.received();
            }
        }
        publisher.received();
        assertThat(session.pending()).as("messages kept for the absent client").isEqualTo(bound);
        assertThat(broker.counters().droppedQueueFullCount()).as("messages dropped and counted").isEqualTo(50);
    }

    @Test
    void aClientIdCollisionHandsTheStoredQueueToTheNewConnectionIntact() {
        MqttProperties oneAtATime = new MqttProperties();
        oneAtATime.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, 300));
        oneAtATime.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM, 1));
        WireClient first = connected(5, "twin", oneAtATime);
        first.send(subscribe(1, MqttProperties.NO_PROPERTIES, "q/#", MqttQoS.AT_LEAST_ONCE));
        first.received();
        WireClient publisher = connected(4, "source", new MqttProperties());
        for (int i = 0; i < 5; i++) {
            publisher.send(publish("q/" + i, MqttQoS.AT_LEAST_ONCE, 1 + i, "m" + i, MqttProperties.NO_PROPERTIES));
        }
        assertThat(topics(first.received())).as("window of one: the first message only").containsExactly("q/0");

        // Same client id, session kept: the first connection is told why and closed.
        WireClient second = client();
        second.send(MqttMessageBuilders.connect().protocolVersion(MqttVersion.MQTT_5).clientId("twin")
                .cleanSession(false).properties(oneAtATime).build());
        first.channel.runPendingTasks();
        assertThat(disconnectReason(first.received())).as("session taken over").isEqualTo(0x8E);
        assertThat(first.isOpen()).isFalse();

        List<String> got = new ArrayList<>();
        List<MqttMessage> answers = second.received();
        assertThat(answers.get(0)).isInstanceOfSatisfying(MqttConnAckMessage.class,
                ack -> assertThat(ack.variableHeader().isSessionPresent()).isTrue());
        for (int i = 0; i < 10 && got.size() < 5; i++) {
            for (MqttPublishMessage message : publishes(answers)) {
                got.add(message.variableHeader().topicName());
                second.send(new MqttMessage(new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
                        MqttMessageIdVariableHeader.from(message.variableHeader().packetId())));
            }
            answers = second.received();
        }
        assertThat(got).as("the stored queue, in order, once").containsExactly("q/0", "q/1", "q/2", "q/3", "q/4");
        assertThat(sessions.get("twin").pending()).isZero();
        assertThat(broker.subscriptionCount()).as("the publisher has none, twin has one").isEqualTo(1);
    }

    @Test
    void aTakenOverConnectionCannotAddSubscriptionsToTheClientIdsNewSession() {
        WireClient first = connected(4, "twin", new MqttProperties());
        WireClient second = connected(4, "twin", new MqttProperties());
        // The takeover tells the first connection to close through its event loop. A packet the
        // first connection has already read is handled before that task runs (EmbeddedChannel
        // runs the queued task after the read, as a real event loop may): it must not count.
        first.send(subscribe(1, MqttProperties.NO_PROPERTIES, "private/#", MqttQoS.AT_MOST_ONCE));
        first.channel.runPendingTasks();
        assertThat(first.isOpen()).isFalse();
        assertThat(broker.subscriptionCount()).as("subscriptions: the new session never made one").isZero();

        WireClient publisher = connected(4, "publisher", new MqttProperties());
        publisher.send(publish("private/diary", MqttQoS.AT_MOST_ONCE, 0, "secret", MqttProperties.NO_PROPERTIES));
        assertThat(publishes(second.received())).as("messages for a filter the new connection never asked for")
                .isEmpty();
        second.close();
        assertThat(broker.subscriptionCount()).as("subscriptions left when every session is gone").isZero();
    }

    // ---- helpers: raw sockets ----------------------------------------------------------------------

    private Socket socket() throws IOException {
        Socket socket = new Socket("127.0.0.1", running.port);
        socket.setSoTimeout(PROMPTLY_MS);
        return socket;
    }

    /** A CONNECT written by hand, so nothing of Netty's encoder stands between the test and the broker. */
    private static byte[] connect(int level, String clientId, String userName) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        writeString(body, "MQTT");
        body.write(level);
        body.write(0x02 | (userName == null ? 0 : 0xC0));
        body.write(0);
        body.write(60);
        if (level == 5) {
            body.write(0);
        }
        writeString(body, clientId);
        if (userName != null) {
            writeString(body, userName);
            writeString(body, "secret");
        }
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x10);
        packet.write(body.size());
        packet.writeBytes(body.toByteArray());
        return packet.toByteArray();
    }

    private static void writeString(ByteArrayOutputStream out, String value) {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        out.write(bytes.length >> 8);
        out.write(bytes.length & 0xFF);
        out.writeBytes(bytes);
    }

    /** Sends a CONNECT and returns the CONNACK's code; a refused client must also be disconnected. */
    private int refusal(byte[] connect) throws IOException {
        try (Socket socket = socket()) {
            socket.getOutputStream().write(connect);
            InputStream in = socket.getInputStream();
            int type = in.read();
            assertThat(type).as("CONNACK").isEqualTo(0x20);
            int length = in.read();
            byte[] rest = in.readNBytes(length);
            int code = rest[1] & 0xFF;
            if (code != 0) {
                assertThat(readUntilClosed(socket).closed).as("a refused client is disconnected").isTrue();
            }
            return code;
        }
    }

    private record ReadResult(boolean closed, byte[] bytes) {
    }

    /** Reads until the broker closes the connection or {@link #PROMPTLY_MS} pass without a byte. */
    private static ReadResult readUntilClosed(Socket socket) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        try {
            for (int b = in.read(); b >= 0; b = in.read()) {
                bytes.write(b);
            }
            return new ReadResult(true, bytes.toByteArray());
        } catch (SocketTimeoutException stillOpen) {
            return new ReadResult(false, bytes.toByteArray());
        } catch (SocketException reset) {
            return new ReadResult(true, bytes.toByteArray());
        }
    }

    /** The whole packets (fixed header included) at the start of what a broker sent; a trailing part is left out. */
    private static List<byte[]> packets(byte[] bytes) {
        List<byte[]> packets = new ArrayList<>();
        int at = 0;
        while (true) {
            int length = 0;
            int header = 1;
            int b = 0x80;
            for (int shift = 0; b >= 0x80 && at + header < bytes.length; shift += 7) {
                b = bytes[at + header++] & 0xFF;
                length |= (b & 0x7F) << shift;
            }
            if (b >= 0x80 || at + header + length > bytes.length) {
                return packets;
            }
            packets.add(Arrays.copyOfRange(bytes, at, at + header + length));
            at += header + length;
        }
    }

    /** Reads whole packets until {@code count} of {@code type} have come, or {@link #PROMPTLY_MS} pass without a byte. */
    private static List<byte[]> packetsUntil(Socket socket, MqttMessageType type, int count) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        List<byte[]> wanted = List.of();
        try {
            while (wanted.size() < count) {
                int read = in.read(buffer);
                if (read < 0) {
                    break;
                }
                bytes.write(buffer, 0, read);
                wanted = packets(bytes.toByteArray()).stream()
                        .filter(p -> (p[0] & 0xF0) >> 4 == type.value()).toList();
            }
        } catch (SocketTimeoutException quiet) {
            // What came is all there is.
        }
        return wanted;
    }

    private static boolean closedPromptly(Socket socket) throws IOException {
        return readUntilClosed(socket).closed;
    }

    // ---- helpers: embedded connections -----------------------------------------------------------

    private WireClient client() {
        WireClient client = new WireClient(broker, sessions, config);
        clients.add(client);
        return client;
    }

    private WireClient connected(int level, String clientId, MqttProperties properties) {
        WireClient client = client();
        client.send(MqttMessageBuilders.connect().protocolVersion(level == 5 ? MqttVersion.MQTT_5 : MqttVersion.MQTT_3_1_1)
                .clientId(clientId).cleanSession(true).properties(properties).build());
        assertThat(connAck(client.received())).as("CONNACK for %s", clientId).isZero();
        return client;
    }

    private static MqttSubscribeMessage subscribe(int packetId, MqttProperties properties, String filter, MqttQoS qos) {
        return subscribe(packetId, properties, List.of(filter), qos);
    }

    private static MqttSubscribeMessage subscribe(int packetId, MqttProperties properties, List<String> filters, MqttQoS qos) {
        List<MqttTopicSubscription> requests = filters.stream()
                .map(f -> new MqttTopicSubscription(f, new MqttSubscriptionOption(qos, false, false,
                        MqttSubscriptionOption.RetainedHandlingPolicy.SEND_AT_SUBSCRIBE)))
                .toList();
        return new MqttSubscribeMessage(new MqttFixedHeader(MqttMessageType.SUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttMessageIdAndPropertiesVariableHeader(packetId, properties), new MqttSubscribePayload(requests));
    }

    private static MqttPublishMessage publish(String topic, MqttQoS qos, int packetId, String payload, MqttProperties properties) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, qos, false, 0),
                new io.netty.handler.codec.mqtt.MqttPublishVariableHeader(topic, packetId, properties),
                Unpooled.wrappedBuffer(payload.getBytes(StandardCharsets.UTF_8)));
    }

    private static MqttProperties userProperties(int count) {
        MqttProperties properties = new MqttProperties();
        MqttProperties.UserProperties user = new MqttProperties.UserProperties();
        for (int i = 0; i < count; i++) {
            user.add("key" + i, "value" + i);
        }
        properties.add(user);
        return properties;
    }

    /** An MQTT 5 QoS 0 PUBLISH carrying {@code count} user properties with empty names and values. */
    private static byte[] publishWithEmptyUserProperties(String topic, int count) {
        ByteArrayOutputStream variable = new ByteArrayOutputStream();
        writeString(variable, topic);
        writeVariableByteInteger(variable, count * 5);
        for (int i = 0; i < count; i++) {
            variable.writeBytes(new byte[] {MqttProperties.USER_PROPERTY, 0, 0, 0, 0});
        }
        variable.write('x');
        ByteArrayOutputStream packet = new ByteArrayOutputStream();
        packet.write(0x30);
        writeVariableByteInteger(packet, variable.size());
        packet.writeBytes(variable.toByteArray());
        return packet.toByteArray();
    }

    private static void writeVariableByteInteger(ByteArrayOutputStream out, int value) {
        do {
            int digit = value % 128;
            value /= 128;
            out.write(value > 0 ? digit | 0x80 : digit);
        } while (value > 0);
    }

    private static int connAck(List<MqttMessage> messages) {
        assertThat(messages).as("answers to CONNECT").isNotEmpty();
        assertThat(messages.get(0)).isInstanceOf(MqttConnAckMessage.class);
        MqttConnectReturnCode code = ((MqttConnAckMessage) messages.get(0)).variableHeader().connectReturnCode();
        return code.byteValue() & 0xFF;
    }

    private static List<Integer> subAckCodes(List<MqttMessage> messages) {
        return messages.stream().filter(MqttSubAckMessage.class::isInstance)
                .flatMap(m -> ((MqttSubAckMessage) m).payload().reasonCodes().stream()).toList();
    }

    private static int disconnectReason(List<MqttMessage> messages) {
        return messages.stream().filter(m -> m.fixedHeader().messageType() == MqttMessageType.DISCONNECT)
                .map(m -> ((MqttReasonCodeAndPropertiesVariableHeader) m.variableHeader()).reasonCode() & 0xFF)
                .findFirst().orElseThrow(() -> new AssertionError("no DISCONNECT among " + messages));
    }

    private static List<MqttPublishMessage> publishes(List<MqttMessage> messages) {
        return messages.stream().filter(MqttPublishMessage.class::isInstance).map(MqttPublishMessage.class::cast).toList();
    }

    private static List<String> topics(List<MqttMessage> messages) {
        return publishes(messages).stream().map(m -> m.variableHeader().topicName()).toList();
    }
}
