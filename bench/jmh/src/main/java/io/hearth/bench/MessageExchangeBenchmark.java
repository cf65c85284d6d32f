package io.hearth.bench;

import io.hearth.broker.Broker;
import io.hearth.broker.persistence.BrokerStore;
import io.hearth.broker.protocol.Flushes;
import io.hearth.broker.protocol.MqttConnection;
import io.hearth.broker.routing.AccessPolicy;
import io.hearth.broker.session.SessionRegistry;
import io.hearth.core.config.MqttConfig;
import io.hearth.core.store.Journal;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.netty.handler.codec.mqtt.MqttVersion;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.h2.jdbcx.JdbcConnectionPool;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The broker's whole share of one QoS 1 message between two connected clients, without sockets:
 * the publisher's PUBLISH bytes are decoded and routed, the subscriber's PUBLISH is encoded, the
 * subscriber's PUBACK is read, and the publisher's PUBACK is written. Both connections have the
 * pipeline the listeners install, on Netty's EmbeddedChannel. What the broker spends here is the
 * part of bench/mqtt.sh's latency that is Java code rather than system calls.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class MessageExchangeBenchmark {

    private static final String TOPIC = "hearth/devices/zigbee-00124b0001a2b3c4/state";
    private static final int MAX_PACKET_SIZE = 1_048_576;

    private JdbcConnectionPool database;
    private EmbeddedChannel publisher;
    private EmbeddedChannel subscriber;
    private EmbeddedChannel clientEncoder;
    private ByteBuf publish;

    @Setup
    public void connect() {
        database = JdbcConnectionPool.create("jdbc:h2:mem:" + UUID.randomUUID() + ";DB_CLOSE_DELAY=-1", "bench", "");
        Flyway.configure().dataSource(database).locations(BrokerStore.MIGRATIONS.location())
                .table(BrokerStore.MIGRATIONS.historyTable()).load().migrate();
        Journal journal = Journal.immediate("broker");
        journal.open(database);
        Broker broker = new Broker(new AccessPolicy(List.of()), new BrokerStore(journal));
        SessionRegistry sessions = new SessionRegistry();
        MqttConfig config = new MqttConfig(0, 0, 0, true, 60, MAX_PACKET_SIZE, 65_535, 100, 10_000, List.of());
        publisher = connection(broker, sessions, config);
        subscriber = connection(broker, sessions, config);
        clientEncoder = new EmbeddedChannel(MqttEncoder.INSTANCE);

        send(publisher, MqttMessageBuilders.connect().clientId("pub").protocolVersion(MqttVersion.MQTT_3_1_1)
                .cleanSession(true).keepAlive(60).build());
        send(subscriber, MqttMessageBuilders.connect().clientId("sub").protocolVersion(MqttVersion.MQTT_3_1_1)
                .cleanSession(true).keepAlive(60).build());
        send(subscriber, MqttMessageBuilders.subscribe().messageId(1).addSubscription(MqttQoS.AT_LEAST_ONCE, TOPIC).build());
        drain(publisher);
        drain(subscriber);
        publish = encode(MqttMessageBuilders.publish().topicName(TOPIC).qos(MqttQoS.AT_LEAST_ONCE).messageId(7)
                .payload(Unpooled.wrappedBuffer(new byte[64])).build());
    }

    @TearDown
    public void close() {
        publish.release();
        publisher.finishAndReleaseAll();
        subscriber.finishAndReleaseAll();
        clientEncoder.finishAndReleaseAll();
        database.dispose();
    }

    @Benchmark
    public int qos1Exchange() {
        publisher.writeInbound(publish.retainedDuplicate());
        ByteBuf delivered = subscriber.readOutbound();
        // The packet id follows the fixed header (2 bytes here) and the topic (2 + length).
        int packetId = delivered.getUnsignedShort(4 + delivered.getUnsignedShort(2));
        delivered.release();
        subscriber.writeInbound(Unpooled.wrappedBuffer(new byte[] {0x40, 2, (byte) (packetId >> 8), (byte) packetId}));
        ByteBuf acknowledged = publisher.readOutbound();
        int size = acknowledged.readableBytes();
        acknowledged.release();
        return size + packetId;
    }

    private static EmbeddedChannel connection(Broker broker, SessionRegistry sessions, MqttConfig config) {
        return new EmbeddedChannel(new Flushes(), new MqttDecoder(MAX_PACKET_SIZE, 256), MqttEncoder.INSTANCE,
                new MqttConnection(broker, sessions, config));
    }

    private void send(EmbeddedChannel connection, MqttMessage message) {
        connection.writeInbound(encode(message));
        connection.runPendingTasks();
    }

    private ByteBuf encode(MqttMessage message) {
        clientEncoder.writeOutbound(message);
        return clientEncoder.readOutbound();
    }

    private static void drain(EmbeddedChannel connection) {
        for (Object sent; (sent = connection.readOutbound()) != null; ) {
            io.netty.util.ReferenceCountUtil.release(sent);
        }
    }
}
