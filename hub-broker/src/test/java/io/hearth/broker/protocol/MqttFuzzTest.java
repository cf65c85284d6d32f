package io.hearth.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.broker.Broker;
import io.hearth.broker.session.Session;
import io.hearth.broker.session.SessionRegistry;
import io.hearth.core.config.AclRule;
import io.hearth.core.config.MqttConfig;
import io.netty.buffer.ByteBufAllocator;
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
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttSubscribeMessage;
import io.netty.handler.codec.mqtt.MqttSubscribePayload;
import io.netty.handler.codec.mqtt.MqttSubscriptionOption;
import io.netty.handler.codec.mqtt.MqttTopicSubscription;
import io.netty.handler.codec.mqtt.MqttUnsubscribeMessage;
import io.netty.handler.codec.mqtt.MqttUnsubscribePayload;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ResourceLeakDetector;
import java.io.ByteArrayOutputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A million random and mutated MQTT packets through the broker's real pipeline (MqttDecoder,
 * MqttEncoder, MqttConnection on one shared Broker and SessionRegistry), on EmbeddedChannels so
 * that no socket or scheduler hides a failure and the run takes seconds.
 *
 * <p>Valid packets come from Netty's own encoder (CONNECT for MQTT 3.1, 3.1.1 and 5, then
 * PUBLISH, SUBSCRIBE, UNSUBSCRIBE, PINGREQ, acknowledgements, DISCONNECT and AUTH with random
 * fields and properties); a few percent are then mutated (bits flipped, cut short, repeated,
 * bytes inserted or removed, Remaining Length made huge or wrong), and some connections are pure
 * random bytes. Several connections are open at once and share a small pool of client ids, so
 * routing, takeovers and persistent sessions are exercised between them.
 *
 * <p>The run fails on: an exception reaching the end of a pipeline or escaping the protocol
 * handler (MqttConnection logs those as warnings), any leaked buffer (ResourceLeakDetector at
 * PARANOID, and every input buffer checked for release), a packet from the broker its client
 * cannot decode, a connection left open that no longer answers PINGREQ, and broker state that
 * does not add up: subscriptions nobody owns, connection counts that drift, queues past their
 * bound, or anything left once every client is gone and every session has expired.
 *
 * <p>The seed is printed; rerun a failure with {@code -Dhearth.fuzz.seed=...}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class MqttFuzzTest {

    private static final int PACKETS_PER_RUN = Integer.getInteger("hearth.fuzz.packets", 1_000_000);
    /** Small, so oversized packets are cheap to make. MqttConfig does not allow less than 256. */
    private static final int MAX_PACKET_SIZE = 4096;
    private static final int RECEIVE_MAXIMUM = 8;
    private static final int LIVE_CONNECTIONS = 4;
    /** Few enough for takeovers and resumed sessions to happen, enough that they do not end most conversations. */
    private static final int CLIENT_ID_POOL = 40;
    /** The configured session queue bound. */
    private static final int MAX_QUEUED = 10_000;
    /** The session queue bound plus the largest receive window a client can ask for. */
    private static final int MAX_PENDING_PER_SESSION = MAX_QUEUED + 65_535;
    private static final String[] LEVELS = {"a", "b", "c", "d", "e", "f", "home", "kitchen", "hall", "temp", "light", "",
        "secret", "é", "\uD83D\uDE00", "x y", "$SYS"};
    /** Mostly QoS 0, as on a hub: every QoS 1 and 2 message costs acknowledgements. */
    private static final int[] QOS_MIX = {0, 0, 0, 0, 0, 0, 0, 1, 1, 2};
    private static final String[] RETAINED_ROOTS = {"a", "home", "kitchen"};
    private static final String[] MALFORMED_FILTERS = {"$share/", "$share/g", "$share//a", "$share/g+/a", "$share/g/",
        "$share/#/a", "$share/g/a/#/b", "a/#/b", "a+/b", "#/a", "", "a/b#", "+a"};

    @Test
    void aMillionHostilePacketsLeaveTheBrokerConsistentAndLeakFree() throws InterruptedException {
        long seed = Long.getLong("hearth.fuzz.seed", System.nanoTime());
        ResourceLeakDetector.Level previous = ResourceLeakDetector.getLevel();
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.PARANOID);
        try (LogWatch log = new LogWatch()) {
            proveLeaksAreSeen(log);
            Fuzz fuzz = new Fuzz(seed);
            long start = System.nanoTime();
            long[] cpuNanos = new long[1];
            Throwable failure;
            try {
                failure = runOnAShallowStack(() -> {
                    fuzz.run();
                    cpuNanos[0] = java.lang.management.ManagementFactory.getThreadMXBean().getCurrentThreadCpuTime();
                });
            } finally {
                fuzz.stored.close();
            }
            if (failure != null) {
                throw new AssertionError("fuzz failed with seed " + seed + " after " + fuzz.packets + " packets: "
                        + failure.getMessage(), failure);
            }
            long millis = (System.nanoTime() - start) / 1_000_000;
            System.out.printf("MqttFuzzTest: seed %d, %d packets (%d mutated, %d random streams) on %d connections "
                    + "(%d accepted) in %d ms (%d ms of CPU); broker sent %d packets%n", seed, fuzz.packets, fuzz.mutated,
                    fuzz.randomStreams, fuzz.connections, fuzz.accepted, millis, cpuNanos[0] / 1_000_000,
                    fuzz.packetsFromBroker);
            System.out.println("MqttFuzzTest: the broker sent " + fuzz.fromBroker);

            collectGarbageAndReportLeaks();
            assertThat(log.leaks()).as("buffers leaked (seed %d)", seed).isEmpty();
            assertThat(log.warnings()).as("warnings and errors logged during the run (seed %d): each is an "
                    + "exception that escaped the protocol logic", seed).isEmpty();
            assertThat(fuzz.packets).isGreaterThanOrEqualTo(PACKETS_PER_RUN);
            // Without these the run would not have reached past CONNECT or into routing.
            assertThat(fuzz.accepted).as("connections accepted").isGreaterThan(1000);
            assertThat(fuzz.publishesDelivered).as("publishes routed to subscribers").isGreaterThan(1000);
        } finally {
            ResourceLeakDetector.setLevel(previous);
        }
    }

    /**
     * Runs the fuzz on a thread of its own: at PARANOID every tracked buffer access records a
     * stack trace, and JUnit's seventy frames under the test method would make each one dearer.
     */
    private static Throwable runOnAShallowStack(Runnable fuzz) throws InterruptedException {
        Throwable[] failure = new Throwable[1];
        Thread thread = new Thread(() -> {
            try {
                fuzz.run();
            } catch (Throwable e) {
                failure[0] = e;
            }
        }, "mqtt-fuzz");
        thread.setDaemon(true);
        thread.start();
        thread.join();
        return failure[0];
    }

    /**
     * The leak assertion is only worth something if a leak would reach it: leak one buffer on
     * purpose and wait until the detector reports it through the log.
     */
    private static void proveLeaksAreSeen(LogWatch log) {
        ByteBufAllocator.DEFAULT.buffer(64).writeLong(42);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (log.leaks().isEmpty() && System.nanoTime() < deadline) {
            collectGarbageAndReportLeaks();
        }
        assertThat(log.leaks()).as("the deliberate leak was reported, so real ones would be").isNotEmpty();
        log.clear();
    }

    /** Leaks are found when a buffer is collected and reported on a later allocation. */
    private static void collectGarbageAndReportLeaks() {
        for (int i = 0; i < 3; i++) {
            System.gc();
            ByteBufAllocator.DEFAULT.buffer(1).release();
        }
    }

    /** One run: the shared broker, the open connections and the generators. */
    private static final class Fuzz {
        private final SplittableRandom random;
        private final StoredBroker stored;
        private final Broker broker;
        private final SessionRegistry sessions = new SessionRegistry();
        private final MqttConfig config;
        private final Client[] live = new Client[LIVE_CONNECTIONS];
        private final WireClient.ClientCodecs codecs = new WireClient.ClientCodecs();
        /** Packets sent lately, by protocol family (3.1 and 3.1.1 share their encoding after CONNECT). */
        private final byte[][] recentV3 = new byte[4096][];
        private final byte[][] recentV5 = new byte[4096][];
        long packets;
        long mutated;
        long randomStreams;
        long connections;
        long accepted;
        long packetsFromBroker;
        long publishesDelivered;
        final java.util.Map<MqttMessageType, Long> fromBroker = new java.util.EnumMap<>(MqttMessageType.class);

        Fuzz(long seed) {
            random = new SplittableRandom(seed);
            // Some rules, so the access checks and filter overlap logic see fuzzed filters too.
            List<AclRule> acl = List.of(
                    new AclRule(AclRule.Effect.DENY, AclRule.Action.PUBLISH, "secret/#", null),
                    new AclRule(AclRule.Effect.DENY, AclRule.Action.SUBSCRIBE, "secret/+/b", null),
                    new AclRule(AclRule.Effect.ALLOW, AclRule.Action.SUBSCRIBE, "home/#", "anonymous"),
                    new AclRule(AclRule.Effect.DENY, AclRule.Action.ALL, "$SYS/#", null));
            config = new MqttConfig(0, 0, 0, true, 60, MAX_PACKET_SIZE, RECEIVE_MAXIMUM, 1_000_000, MAX_QUEUED, acl);
            stored = new StoredBroker(config.acl());
            broker = stored.broker;
        }

        void run() {
            long steps = 0;
            while (packets < PACKETS_PER_RUN) {
                int slot = random.nextInt(LIVE_CONNECTIONS);
                if (live[slot] == null || live[slot].done()) {
                    if (live[slot] != null) {
                        retire(live[slot]);
                    }
                    live[slot] = open();
                }
                step(live[slot]);
                if (++steps % 512 == 0) {
                    checkBrokerState();
                }
                if (steps % 8192 == 0) {
                    // Hours pass: what MqttListeners' sweep would do to sessions left behind.
                    expireAllSessions();
                }
            }
            for (int i = 0; i < LIVE_CONNECTIONS; i++) {
                if (live[i] != null) {
                    retire(live[i]);
                    live[i] = null;
                }
            }
            checkBrokerState();
            assertThat(broker.counters().clientsConnected()).as("connections counted after all closed").isZero();
            expireAllSessions();
            assertThat(sessions.size()).as("sessions left after all expired").isZero();
            assertThat(broker.subscriptionCount()).as("subscriptions left after every session expired").isZero();
        }

        // ---- connections -------------------------------------------------------------------------

        private Client open() {
            connections++;
            Client client = new Client(new WireClient(broker, sessions, config, codecs));
            int mode = random.nextInt(100);
            if (mode < 4) {
                // Pure noise from the first byte, sometimes dressed as a CONNECT.
                client.budget = 1;
                client.noise = true;
            } else if (mode < 7) {
                // A valid packet, but not CONNECT, first.
                client.version = 4;
                client.budget = 1 + random.nextInt(4);
                client.skipConnect = true;
            } else {
                client.version = mode < 20 ? 3 : mode < 55 ? 4 : 5;
                // A quarter of the clients are rude: many mutations and invalid fields, short lives.
                // The rest mostly follow the protocol for long conversations, to reach deep state.
                client.rude = random.nextInt(4) == 0;
                client.budget = 1 + (client.rude ? random.nextInt(60) : random.nextInt(random.nextInt(10) < 7 ? 300 : 2000));
                client.noiseAfterConnect = random.nextInt(100) < 3;
            }
            return client;
        }

        /** Ends a connection: it must be closed or still answering PINGREQ, and must have released its input. */
        private void retire(Client client) {
            WireClient wire = client.wire;
            wire.channel.runPendingTasks();
            handle(client, wire.received());
            if (wire.isOpen() && !wire.answersPing()) {
                // A partial packet may be waiting for its remaining bytes: complete it with PINGREQs.
                // Whatever that packet turns out to be, the connection must then close or answer.
                byte[] pings = new byte[(MAX_PACKET_SIZE + 8) & ~1];
                for (int i = 0; i < pings.length; i += 2) {
                    pings[i] = (byte) 0xC0;
                }
                wire.write(pings);
                handle(client, wire.received());
                assertThat(!wire.isOpen() || wire.answersPing())
                        .as("a connection still open must answer PINGREQ (pipeline %s, autoRead %s)",
                                wire.channel.pipeline().names(), wire.channel.config().isAutoRead()).isTrue();
            }
            wire.channel.checkException();
            assertThat(wire.channel.inboundMessages()).as("messages no handler consumed").isEmpty();
            wire.close();
            assertThat(wire.unreleasedInputBuffers()).as("input buffers the broker never released").isZero();
        }

        private void step(Client client) {
            WireClient wire = client.wire;
            ByteArrayOutputStream batch = new ByteArrayOutputStream();
            int count;
            if (client.noise) {
                batch.writeBytes(noise());
                count = 1;
                randomStreams++;
                client.budget = 0;
            } else {
                count = Math.min(client.budget, 1 + random.nextInt(random.nextInt(4) == 0 ? 64 : 12));
                for (int i = 0; i < count; i++) {
                    batch.writeBytes(nextPacket(client));
                }
                client.budget -= count;
            }
            if (!wire.isOpen()) {
                return;
            }
            packets += count;
            byte[] bytes = batch.toByteArray();
            // Only a whole, intact first packet is surely read: a cut one may still be waiting for bytes.
            boolean firstWithoutConnect = client.skipConnect && !client.stepped && client.firstIntact && bytes[0] != 0x10;
            client.stepped = true;
            writeInPieces(wire, bytes);
            wire.channel.checkException();
            List<MqttMessage> answers = wire.received();
            if (firstWithoutConnect) {
                assertThat(answers).as("answers to a client whose first packet was not CONNECT").isEmpty();
                assertThat(wire.isOpen()).as("a connection whose first packet was not CONNECT").isFalse();
            }
            handle(client, answers);
            wire.forgetReleasedInput();
        }

        /** Reads one step's bytes in one piece, a few pieces, or first byte by byte: the decoder must not care. */
        private void writeInPieces(WireClient wire, byte[] bytes) {
            int shape = random.nextInt(10);
            if (shape < 7 || bytes.length < 2) {
                wire.write(bytes);
                return;
            }
            int at = 0;
            if (shape == 9) {
                for (; at < Math.min(bytes.length, 12); at++) {
                    wire.write(bytes, at, 1);
                }
            }
            while (at < bytes.length) {
                int length = Math.min(bytes.length - at, 1 + random.nextInt(Math.max(1, bytes.length / 2)));
                wire.write(bytes, at, length);
                at += length;
            }
        }

        /** Acts on what the broker sent, as a client would, and keeps count. */
        private void handle(Client client, List<MqttMessage> messages) {
            packetsFromBroker += messages.size();
            for (MqttMessage message : messages) {
                fromBroker.merge(message.fixedHeader().messageType(), 1L, Long::sum);
                switch (message.fixedHeader().messageType()) {
                    case CONNACK -> {
                        MqttConnAckMessage ack = (MqttConnAckMessage) message;
                        if (ack.variableHeader().connectReturnCode() == MqttConnectReturnCode.CONNECTION_ACCEPTED) {
                            client.accepted = true;
                            accepted++;
                        }
                    }
                    case PUBLISH -> {
                        publishesDelivered++;
                        MqttPublishMessage publish = (MqttPublishMessage) message;
                        int qos = publish.fixedHeader().qosLevel().value();
                        if (qos == 1) {
                            client.toAck.add(publish.variableHeader().packetId());
                        } else if (qos == 2) {
                            client.toReceive.add(publish.variableHeader().packetId());
                        }
                        publish.release();
                    }
                    case PUBREC -> client.toRelease.add(((MqttMessageIdVariableHeader) message.variableHeader()).messageId());
                    case PUBREL -> client.toComplete.add(((MqttMessageIdVariableHeader) message.variableHeader()).messageId());
                    default -> {
                    }
                }
            }
            if (client.maximumPacketSize > 0) {
                assertThat(client.wire.largestPacketReceived())
                        .as("largest packet sent to a client that allows at most %d bytes (it starts %s)",
                                client.maximumPacketSize, client.wire.largestPacketStart())
                        .isLessThanOrEqualTo(client.maximumPacketSize);
            }
        }

        // ---- broker state --------------------------------------------------------------------------

        /** With every connection's queued work done, the broker's books must balance. */
        private void checkBrokerState() {
            long open = 0;
            for (Client client : live) {
                if (client != null) {
                    client.wire.channel.runPendingTasks();
                    handle(client, client.wire.received());
                    client.wire.channel.checkException();
                    if (client.accepted && client.wire.isOpen()) {
                        open++;
                    }
                }
            }
            assertThat(broker.counters().clientsConnected())
                    .as("connections the broker counts vs. accepted connections still open").isEqualTo(open);
            int owned = 0;
            for (Session session : sessions.all()) {
                owned += session.subscriptions().size();
                assertThat(session.pending()).as("messages held for %s", session.id())
                        .isLessThanOrEqualTo(MAX_PENDING_PER_SESSION);
            }
            assertThat(broker.subscriptionCount()).as("subscriptions in the index vs. those sessions own").isEqualTo(owned);
            // Well-formed retained messages only go to a few topics; anything more must have come
            // from a mutated packet or noise, each of which can add at most one.
            assertThat((long) broker.retainedCount()).as("retained messages")
                    .isLessThanOrEqualTo(RETAINED_ROOTS.length * LEVELS.length + mutated + randomStreams);
        }

        /** What MqttListeners' expiry sweep does, at a time when every session has expired. */
        private void expireAllSessions() {
            sessions.endExpired(System.nanoTime() + 5_000_000_000_000_000_000L, broker);
        }

        // ---- packets -------------------------------------------------------------------------------

        private byte[] nextPacket(Client client) {
            byte[] packet;
            boolean connectNow = !client.connectSent && !client.skipConnect;
            if (connectNow) {
                client.connectSent = true;
                packet = connect(client);
            } else if (client.noiseAfterConnect && client.connectSent) {
                randomStreams++;
                return noise();
            } else {
                packet = afterConnect(client);
            }
            boolean mutate = random.nextInt(1000) < (client.rude ? (connectNow ? 150 : 50) : (connectNow ? 10 : 3));
            if (connectNow && !mutate) {
                // Only an intact first CONNECT surely told the broker the client's limit.
                client.maximumPacketSize = client.announcedMaximum;
            }
            if (client.skipConnect && !client.firstSent) {
                client.firstSent = true;
                client.firstIntact = !mutate;
            }
            if (mutate) {
                mutated++;
                packet = mutate(packet);
                if (connectNow) {
                    client.wire.versionUncertain();
                }
            }
            return packet;
        }

        private byte[] connect(Client client) {
            MqttVersion version = client.version == 3 ? MqttVersion.MQTT_3_1 : client.version == 4
                    ? MqttVersion.MQTT_3_1_1 : MqttVersion.MQTT_5;
            var builder = MqttMessageBuilders.connect().protocolVersion(version).clientId(clientId(client.version))
                    .cleanSession(random.nextBoolean()).keepAlive(random.nextInt(10) == 0 ? 0 : random.nextInt(120));
            if (random.nextInt(4) == 0) {
                builder.willFlag(true).willTopic(topic()).willQoS(MqttQoS.valueOf(random.nextInt(3)))
                        .willRetain(random.nextInt(4) == 0).willMessage(bytes(random.nextInt(40)));
                if (client.version == 5) {
                    MqttProperties will = messageProperties();
                    if (random.nextBoolean()) {
                        will.add(new MqttProperties.IntegerProperty(MqttProperties.WILL_DELAY_INTERVAL, random.nextInt(3)));
                    }
                    builder.willProperties(will);
                }
            }
            if (random.nextInt(25) == 0) {
                builder.hasUser(true).username(random.nextBoolean() ? "#" : "user").hasPassword(true).password(bytes(8));
            }
            if (client.version == 5) {
                MqttProperties properties = new MqttProperties();
                int expiry = switch (random.nextInt(4)) {
                    case 0 -> 0;
                    case 1 -> random.nextInt(600);
                    case 2 -> 0xFFFFFFFF;
                    default -> -1;
                };
                if (expiry != -1) {
                    properties.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, expiry));
                }
                if (random.nextBoolean()) {
                    properties.add(new MqttProperties.IntegerProperty(MqttProperties.RECEIVE_MAXIMUM,
                            random.nextBoolean() ? 1 + random.nextInt(4) : random.nextInt(65_536)));
                }
                client.announcedMaximum = 0;
                if (random.nextInt(4) == 0) {
                    client.announcedMaximum = 128 + random.nextInt(1024);
                    properties.add(new MqttProperties.IntegerProperty(MqttProperties.MAXIMUM_PACKET_SIZE,
                            client.announcedMaximum));
                }
                if (random.nextInt(4) == 0) {
                    properties.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS_MAXIMUM, random.nextInt(20)));
                }
                if (random.nextInt(8) == 0) {
                    properties.add(new MqttProperties.IntegerProperty(MqttProperties.REQUEST_RESPONSE_INFORMATION, 1));
                }
                addUserProperties(properties);
                builder.properties(properties);
            }
            byte[] packet = encodeOrNoise(client, builder.build());
            if (client.rude && random.nextInt(8) == 0 && packet.length > 12 && packet[0] == 0x10) {
                // Connect flags at random (the reserved bit clear, or the decoder alone would refuse
                // them): will QoS 3, a will or user name announced but missing, and so on.
                int flags = headerLength(packet) + 2 + (version == MqttVersion.MQTT_3_1 ? 6 : 4) + 1;
                packet[flags] = (byte) (random.nextInt(256) & 0xFE);
            }
            return packet;
        }

        private byte[] afterConnect(Client client) {
            boolean v5 = client.version == 5;
            int kind = random.nextInt(1000);
            int rudeness = client.rude ? 30 : 3;
            boolean acknowledgement = kind >= 640 && kind < 1000 - 3 * rudeness;
            byte[][] pool = v5 ? recentV5 : recentV3;
            int slot = random.nextInt(pool.length);
            if (!acknowledgement && pool[slot] != null && random.nextInt(8) != 0) {
                // Most packets are recent ones again: encoding every packet afresh would cost more
                // than the broker's handling of it. Acknowledgements follow the real packet ids.
                return pool[slot];
            }
            MqttMessage message;
            if (kind < 520) {
                message = publish(client, v5);
            } else if (kind < 560) {
                message = subscribe(client, v5);
            } else if (kind < 610) {
                message = unsubscribe(client, v5);
            } else if (kind < 640) {
                message = new MqttMessage(new MqttFixedHeader(MqttMessageType.PINGREQ, false, MqttQoS.AT_MOST_ONCE, false, 0));
            } else if (kind < 1000 - 3 * rudeness) {
                message = acknowledgement(client);
                if (message == null) {
                    message = publish(client, v5);
                }
            } else if (kind < 1000 - 2 * rudeness) {
                MqttProperties properties = new MqttProperties();
                if (v5 && random.nextBoolean()) {
                    properties.add(new MqttProperties.IntegerProperty(MqttProperties.SESSION_EXPIRY_INTERVAL, random.nextInt(100)));
                }
                message = MqttMessageBuilders.disconnect().reasonCode((byte) (random.nextBoolean() ? 0 : 4))
                        .properties(properties).build();
                client.budget = 0;
            } else if (kind < 1000 - rudeness && v5) {
                message = MqttMessageBuilders.auth().reasonCode((byte) 0x18).properties(new MqttProperties()).build();
            } else {
                // A second CONNECT on the same connection.
                return connect(client);
            }
            byte[] packet = encodeOrNoise(client, message);
            if (!acknowledgement) {
                pool[slot] = packet;
            }
            return packet;
        }

        private MqttMessage publish(Client client, boolean v5) {
            int qos = QOS_MIX[random.nextInt(QOS_MIX.length)];
            int packetId = qos == 0 ? 0 : 1 + random.nextInt(random.nextBoolean() ? 4 : 40);
            String topic = topic(client.rude);
            MqttProperties properties = v5 ? messageProperties() : MqttProperties.NO_PROPERTIES;
            if (v5 && random.nextInt(6) == 0) {
                int alias = random.nextInt(10) == 0 ? random.nextInt(100) : 1 + random.nextInt(8);
                properties.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, alias));
                if (random.nextBoolean()) {
                    topic = "";
                }
            }
            boolean retain = random.nextInt(6) == 0;
            if (retain && !topic.isEmpty()) {
                // Retained messages only on a few topics, as a home's devices would: a store of
                // thousands would make every wildcard SUBSCRIBE answer with thousands of messages.
                topic = RETAINED_ROOTS[random.nextInt(RETAINED_ROOTS.length)]
                        + (random.nextBoolean() ? "" : "/" + LEVELS[random.nextInt(LEVELS.length - 1)]);
            }
            int size = random.nextInt(50) == 0 ? MAX_PACKET_SIZE - 20 + random.nextInt(60) : random.nextInt(random.nextBoolean() ? 8 : 200);
            return new MqttPublishMessage(
                    new MqttFixedHeader(MqttMessageType.PUBLISH, random.nextInt(10) == 0, MqttQoS.valueOf(qos),
                            retain, 0),
                    new MqttPublishVariableHeader(topic, packetId, properties), Unpooled.wrappedBuffer(bytes(size)));
        }

        private MqttMessage subscribe(Client client, boolean v5) {
            List<MqttTopicSubscription> requests = new ArrayList<>();
            int n = 1 + random.nextInt(random.nextInt(8) == 0 ? 12 : 2);
            for (int i = 0; i < n; i++) {
                String filter = filter(client.rude);
                client.filters.add(filter);
                requests.add(new MqttTopicSubscription(filter, new MqttSubscriptionOption(MqttQoS.valueOf(random.nextInt(3)),
                        random.nextInt(5) == 0, random.nextInt(5) == 0,
                        MqttSubscriptionOption.RetainedHandlingPolicy.valueOf(random.nextInt(3)))));
            }
            MqttProperties properties = new MqttProperties();
            if (v5 && random.nextBoolean()) {
                properties.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER,
                        1 + random.nextInt(random.nextBoolean() ? 10 : 268_435_455)));
            }
            return new MqttSubscribeMessage(
                    new MqttFixedHeader(MqttMessageType.SUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                    new MqttMessageIdAndPropertiesVariableHeader(1 + random.nextInt(65_535), properties),
                    new MqttSubscribePayload(requests));
        }

        private MqttMessage unsubscribe(Client client, boolean v5) {
            List<String> filters = new ArrayList<>();
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                filters.add(!client.filters.isEmpty() && random.nextInt(4) != 0
                        ? client.filters.get(random.nextInt(client.filters.size())) : filter());
            }
            return new MqttUnsubscribeMessage(
                    new MqttFixedHeader(MqttMessageType.UNSUBSCRIBE, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                    new MqttMessageIdAndPropertiesVariableHeader(1 + random.nextInt(65_535),
                            v5 ? userPropertiesOnly() : MqttProperties.NO_PROPERTIES),
                    new MqttUnsubscribePayload(filters));
        }

        /**
         * PUBACK, PUBREC, PUBREL or PUBCOMP: mostly for ids the broker really used, sometimes for
         * made-up ones; null when there is nothing to acknowledge and no made-up one this time.
         */
        private MqttMessage acknowledgement(Client client) {
            MqttMessageType type;
            int packetId;
            if (!client.toAck.isEmpty() && random.nextInt(4) != 0) {
                type = MqttMessageType.PUBACK;
                packetId = client.toAck.poll();
            } else if (!client.toReceive.isEmpty() && random.nextInt(4) != 0) {
                type = MqttMessageType.PUBREC;
                packetId = client.toReceive.poll();
            } else if (!client.toComplete.isEmpty() && random.nextInt(4) != 0) {
                type = MqttMessageType.PUBCOMP;
                packetId = client.toComplete.poll();
            } else if (!client.toRelease.isEmpty() && random.nextInt(4) != 0) {
                type = MqttMessageType.PUBREL;
                packetId = client.toRelease.poll();
            } else if (random.nextInt(4) != 0) {
                // Nothing to acknowledge: usually do something else.
                return null;
            } else {
                MqttMessageType[] types = {MqttMessageType.PUBACK, MqttMessageType.PUBREC, MqttMessageType.PUBREL,
                    MqttMessageType.PUBCOMP};
                type = types[random.nextInt(types.length)];
                packetId = 1 + random.nextInt(50);
            }
            MqttQoS qos = type == MqttMessageType.PUBREL ? MqttQoS.AT_LEAST_ONCE : MqttQoS.AT_MOST_ONCE;
            boolean v5 = client.version == 5;
            return new MqttMessage(new MqttFixedHeader(type, false, qos, false, 0),
                    new MqttPubReplyMessageVariableHeader(packetId, (byte) (v5 && random.nextInt(8) == 0 ? 0x80 : 0),
                            v5 && random.nextInt(8) == 0 ? userPropertiesOnly() : MqttProperties.NO_PROPERTIES));
        }

        private byte[] encodeOrNoise(Client client, MqttMessage message) {
            try {
                return client.wire.encode(message);
            } catch (RuntimeException refusedByEncoder) {
                // Netty's encoder refuses some of what the generator makes (e.g. a bad client id):
                // send noise in its place rather than nothing. (The encoder has released the message.)
                return noise();
            }
        }

        // ---- fields --------------------------------------------------------------------------------

        private String clientId(int version) {
            int pick = random.nextInt(100);
            if (pick < 8) {
                return "";
            } else if (pick < 11) {
                return switch (random.nextInt(4)) {
                    case 0 -> "a+b";
                    case 1 -> "#";
                    case 2 -> "bad\u0001id";
                    default -> "long-" + "x".repeat(250 + random.nextInt(20));
                };
            }
            return "c" + random.nextInt(CLIENT_ID_POOL);
        }

        private String topic() {
            return topic(true);
        }

        /** A topic name; now and then an invalid one (empty, too deep, a wildcard, a NUL), more often when rude. */
        private String topic(boolean rude) {
            int pick = random.nextInt(rude ? 200 : 2000);
            if (pick == 0) {
                return "";
            } else if (pick == 1) {
                return String.join("/", java.util.Collections.nCopies(60 + random.nextInt(20), "a"));
            } else if (pick == 2) {
                return "a/+/b";
            } else if (pick == 3) {
                return "a\u0000b";
            }
            return levels(1 + random.nextInt(4), false, rude);
        }

        private String filter() {
            return filter(true);
        }

        /** A topic filter; malformed ones often when rude, seldom otherwise. */
        private String filter(boolean rude) {
            int pick = rude || random.nextInt(10) == 0 ? random.nextInt(100) : 5 + random.nextInt(95);
            if (pick < 4) {
                return MALFORMED_FILTERS[random.nextInt(MALFORMED_FILTERS.length)];
            } else if (pick < 5) {
                return String.join("/", java.util.Collections.nCopies(60 + random.nextInt(20), "+"));
            } else if (pick < 14) {
                return "$share/g" + random.nextInt(3) + "/" + levels(1 + random.nextInt(3), true, rude);
            }
            return levels(1 + random.nextInt(4), true, rude);
        }

        /**
         * Levels from a small alphabet. Denied ones ("secret", "$SYS") are seldom used by polite
         * clients: an MQTT 3.1.1 publisher is disconnected for them, and would rarely get far.
         */
        private String levels(int depth, boolean wildcards, boolean rude) {
            StringBuilder topic = new StringBuilder();
            for (int i = 0; i < depth; i++) {
                if (i > 0) {
                    topic.append('/');
                }
                if (wildcards && i == depth - 1 && random.nextInt(10) == 0) {
                    topic.append('#');
                } else if (wildcards && random.nextInt(8) == 0) {
                    topic.append('+');
                } else {
                    String level = LEVELS[random.nextInt(LEVELS.length)];
                    if (!rude && (level.equals("secret") || level.equals("$SYS")) && random.nextInt(20) != 0) {
                        level = "home";
                    }
                    topic.append(level.equals("$SYS") && i > 0 ? "sys" : level);
                }
            }
            return topic.toString();
        }

        private MqttProperties messageProperties() {
            MqttProperties properties = new MqttProperties();
            if (random.nextInt(4) == 0) {
                properties.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL,
                        random.nextBoolean() ? random.nextInt(5) : 0xFFFFFFFF));
            }
            if (random.nextInt(6) == 0) {
                properties.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, "text/plain"));
            }
            if (random.nextInt(6) == 0) {
                properties.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, topic()));
            }
            if (random.nextInt(6) == 0) {
                properties.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, bytes(random.nextInt(20))));
            }
            if (random.nextInt(8) == 0) {
                properties.add(new MqttProperties.IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR, random.nextInt(2)));
            }
            addUserProperties(properties);
            return properties;
        }

        private MqttProperties userPropertiesOnly() {
            MqttProperties properties = new MqttProperties();
            addUserProperties(properties);
            return properties;
        }

        private void addUserProperties(MqttProperties properties) {
            int n = random.nextInt(5) == 0 ? random.nextInt(random.nextInt(20) == 0 ? 100 : 4) : 0;
            if (n > 0) {
                MqttProperties.UserProperties user = new MqttProperties.UserProperties();
                for (int i = 0; i < n; i++) {
                    user.add("k" + random.nextInt(5), "v" + i);
                }
                properties.add(user);
            }
        }

        private byte[] bytes(int n) {
            byte[] bytes = new byte[n];
            for (int i = 0; i < n; i++) {
                bytes[i] = (byte) random.nextInt(256);
            }
            return bytes;
        }

        private byte[] noise() {
            byte[] noise = bytes(1 + random.nextInt(random.nextBoolean() ? 16 : 600));
            if (random.nextBoolean()) {
                // Dress it as some packet type with a plausible length, to get past the first byte.
                noise[0] = (byte) (random.nextInt(16) << 4);
            }
            return noise;
        }

        // ---- mutations -----------------------------------------------------------------------------

        private byte[] mutate(byte[] packet) {
            byte[] p = packet.clone();
            switch (random.nextInt(8)) {
                case 0 -> {
                    for (int i = 1 + random.nextInt(3); i > 0; i--) {
                        p[random.nextInt(p.length)] ^= (byte) (1 << random.nextInt(8));
                    }
                    return p;
                }
                case 1 -> {
                    return Arrays.copyOf(p, random.nextInt(p.length));
                }
                case 2 -> {
                    // The same packet twice in a row: duplicate ids, repeated CONNECT, and so on.
                    byte[] twice = Arrays.copyOf(p, p.length * 2);
                    System.arraycopy(p, 0, twice, p.length, p.length);
                    return twice;
                }
                case 3 -> {
                    int at = random.nextInt(p.length + 1);
                    byte[] extra = bytes(1 + random.nextInt(8));
                    return concat(Arrays.copyOf(p, at), extra, Arrays.copyOfRange(p, at, p.length));
                }
                case 4 -> {
                    int huge = switch (random.nextInt(3)) {
                        case 0 -> MAX_PACKET_SIZE + 1;
                        case 1 -> 268_435_455;
                        default -> MAX_PACKET_SIZE + random.nextInt(268_435_455 - MAX_PACKET_SIZE);
                    };
                    return withRemainingLength(p, huge);
                }
                case 5 -> {
                    int length = remainingLength(p) + (random.nextBoolean() ? 1 : -1) * (1 + random.nextInt(3));
                    return withRemainingLength(p, Math.max(0, length));
                }
                case 6 -> {
                    int from = random.nextInt(p.length);
                    int to = Math.min(p.length, from + 1 + random.nextInt(8));
                    return concat(Arrays.copyOf(p, from), Arrays.copyOfRange(p, to, p.length));
                }
                default -> {
                    if (random.nextBoolean()) {
                        // A Remaining Length of five bytes, which MQTT does not allow.
                        return concat(new byte[] {p[0], (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0x7F},
                                Arrays.copyOfRange(p, headerLength(p), p.length));
                    }
                    p[random.nextInt(p.length)] = (byte) random.nextInt(256);
                    return p;
                }
            }
        }

        private static int headerLength(byte[] p) {
            int i = 1;
            while (i < p.length && i < 5 && (p[i] & 0x80) != 0) {
                i++;
            }
            return Math.min(p.length, i + 1);
        }

        private static int remainingLength(byte[] p) {
            int value = 0;
            int multiplier = 1;
            for (int i = 1; i < p.length && i < 5; i++) {
                value += (p[i] & 0x7F) * multiplier;
                if ((p[i] & 0x80) == 0) {
                    break;
                }
                multiplier *= 128;
            }
            return value;
        }

        private static byte[] withRemainingLength(byte[] p, int length) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.write(p[0]);
            int value = length;
            do {
                int digit = value % 128;
                value /= 128;
                out.write(value > 0 ? digit | 0x80 : digit);
            } while (value > 0);
            out.write(p, headerLength(p), p.length - headerLength(p));
            return out.toByteArray();
        }

        private static byte[] concat(byte[]... parts) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            for (byte[] part : parts) {
                out.writeBytes(part);
            }
            return out.toByteArray();
        }
    }

    /** One fuzzed connection and what its client has to answer. */
    private static final class Client {
        final WireClient wire;
        int version = 4;
        int budget;
        boolean noise;
        boolean noiseAfterConnect;
        boolean rude;
        boolean stepped;
        boolean firstSent;
        boolean firstIntact;
        boolean skipConnect;
        boolean connectSent;
        boolean accepted;
        /** The Maximum Packet Size the broker was surely told, or 0. */
        int maximumPacketSize;
        int announcedMaximum;
        final List<String> filters = new ArrayList<>();
        final ArrayDeque<Integer> toAck = new ArrayDeque<>();
        final ArrayDeque<Integer> toReceive = new ArrayDeque<>();
        final ArrayDeque<Integer> toRelease = new ArrayDeque<>();
        final ArrayDeque<Integer> toComplete = new ArrayDeque<>();

        Client(WireClient wire) {
            this.wire = wire;
        }

        boolean done() {
            return budget <= 0 || !wire.isOpen();
        }
    }
}
