package io.hearth.broker.protocol;

import io.hearth.broker.listener.FirstPacket;
import io.hearth.broker.Broker;
import io.hearth.broker.session.SessionRegistry;
import io.hearth.core.config.MqttConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelOption;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttConnectMessage;
import io.netty.handler.codec.mqtt.MqttDecoder;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageBuilders;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttVersion;
import io.netty.util.ReferenceCountUtil;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

/**
 * One client connection to the broker without a socket: the broker's side is the real pipeline
 * MqttListeners installs (MqttDecoder, MqttEncoder, MqttConnection) on an EmbeddedChannel, and
 * the client's side is Netty's own encoder and decoder, so what goes in and what comes out are
 * real MQTT bytes.
 *
 * <p>Every buffer handed to the broker is remembered, so a test can check that the broker released
 * all of them; what the broker allocates itself comes from the channel's default (pooled,
 * leak-tracked) allocator, as in production.
 */
final class WireClient implements AutoCloseable {

    /** MqttListeners passes this client-id limit to the decoder. */
    static final int DECODER_MAX_CLIENT_ID = 256;

    /**
     * Where input buffers come from: never recycled, so a buffer's reference count can still be
     * read after it was released (a pooled buffer object is reused by a later allocation and would
     * report that one's count), and each is checked for release one by one, which is exact and
     * immediate. They are kept off the leak detector: at PARANOID it records a stack trace for
     * every byte the decoder reads. The detector watches what the pipeline allocates itself.
     */
    private static final ByteBufAllocator INPUT = new UnpooledByteBufAllocator(false, true);

    /** The broker's side of the connection. */
    final EmbeddedChannel channel;
    private final ClientCodecs codecs;
    private final List<ByteBuf> written = new ArrayList<>();
    private MqttVersion version = MqttVersion.MQTT_3_1_1;
    private boolean versionUncertain;
    private int largestPacketReceived;
    private String largestPacketStart = "";

    WireClient(Broker broker, SessionRegistry sessions, MqttConfig config) {
        this(broker, sessions, config, new ClientCodecs());
    }

    /** A client that shares the client-side codecs with others (they keep no state between packets). */
    WireClient(Broker broker, SessionRegistry sessions, MqttConfig config, ClientCodecs codecs) {
        channel = new EmbeddedChannel(
                new FirstPacket(Math.min(config.maxPacketSize(), 64 * 1024)),
                new MqttDecoder(config.maxPacketSize(), DECODER_MAX_CLIENT_ID),
                MqttEncoder.INSTANCE,
                new MqttConnection(broker, sessions, config));
        this.codecs = codecs;
    }

    /**
     * The bytes of {@code message} as Netty's encoder writes them. A CONNECT also sets the protocol
     * version the client reads the broker's answers with.
     */
    byte[] encode(MqttMessage message) {
        if (message instanceof MqttConnectMessage connect) {
            version = MqttVersion.fromProtocolNameAndLevel(connect.variableHeader().name(),
                    (byte) connect.variableHeader().version());
        }
        return codecs.of(version).encode(message);
    }

    /**
     * Says that the CONNECT the broker read may not be the one encoded (its bytes were mutated), so
     * the version is learned from the first answer that decodes.
     */
    void versionUncertain() {
        versionUncertain = true;
    }

    /** Encodes and sends one packet. */
    void send(MqttMessage message) {
        write(encode(message));
    }

    void write(byte[] bytes) {
        write(bytes, 0, bytes.length);
    }

    /** Hands raw bytes to the broker as one read. */
    void write(byte[] bytes, int offset, int length) {
        if (!channel.isOpen()) {
            return;
        }
        ByteBuf buffer = INPUT.heapBuffer(length).writeBytes(bytes, offset, length);
        written.add(buffer);
        channel.writeInbound(buffer);
    }

    /**
     * Everything the broker wrote since the last call, decoded as the client would; the broker's
     * buffers are released, and publish payloads are copied out.
     */
    List<MqttMessage> received() {
        List<MqttMessage> messages = new ArrayList<>();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            if (!(out instanceof ByteBuf buffer)) {
                ReferenceCountUtil.release(out);
                throw new AssertionError("the broker wrote something other than bytes: " + out);
            }
            // Copied out and released at once: reading the broker's leak-tracked buffer through
            // the client's decoder would record a stack trace per read.
            byte[] bytes = ByteBufUtil.getBytes(buffer);
            buffer.release();
            if (bytes.length > largestPacketReceived) {
                largestPacketReceived = bytes.length;
                largestPacketStart = ByteBufUtil.hexDump(bytes, 0, Math.min(48, bytes.length));
            }
            messages.add(decode(bytes));
        }
        return messages;
    }

    private MqttMessage decode(byte[] packet) {
        MqttMessage decoded = codecs.of(version).decode(packet);
        if (decoded.decoderResult().isFailure() && versionUncertain) {
            for (MqttVersion other : MqttVersion.values()) {
                MqttMessage retry = codecs.of(other).decode(packet);
                if (retry.decoderResult().isSuccess()) {
                    version = other;
                    decoded = retry;
                    break;
                }
            }
        }
        if (decoded.decoderResult().isFailure()) {
            throw new AssertionError("the broker sent a packet its client cannot decode: "
                    + ByteBufUtil.hexDump(packet, 0, Math.min(64, packet.length)), decoded.decoderResult().cause());
        }
        versionUncertain = false;
        return decoded;
    }

    /** The largest single packet the broker wrote so far, in bytes. */
    int largestPacketReceived() {
        return largestPacketReceived;
    }

    /** The first bytes of that packet, in hex, for failure messages. */
    String largestPacketStart() {
        return largestPacketStart;
    }

    /** Sends PINGREQ and tells whether a PINGRESP came back. */
    boolean answersPing() {
        if (!channel.isOpen()) {
            return false;
        }
        write(new byte[] {(byte) 0xC0, 0x00});
        return received().stream().anyMatch(m -> m.fixedHeader().messageType() == MqttMessageType.PINGRESP);
    }

    /** How many of the buffers given to the broker it has not released. */
    long unreleasedInputBuffers() {
        return written.stream().filter(b -> b.refCnt() != 0).count();
    }

    /** Forgets the input buffers already released, so a long-lived client does not pile them up. */
    void forgetReleasedInput() {
        written.removeIf(b -> b.refCnt() == 0);
    }

    boolean isOpen() {
        return channel.isOpen();
    }

    /** Closes the broker's side as a vanished TCP peer would, and drops what it still had to send. */
    @Override
    public void close() {
        channel.close();
        channel.runPendingTasks();
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            ReferenceCountUtil.release(out);
        }
    }

    /**
     * Netty's MQTT encoder and decoder on the client's side, one pair per protocol version. They
     * are tools, not under test: kept off the leak detector and the pool. Each broker packet is
     * decoded whole, so nothing is left over in the decoder between packets or clients.
     */
    static final class ClientCodecs {

        private final Map<MqttVersion, Codec> byVersion = new EnumMap<>(MqttVersion.class);

        Codec of(MqttVersion version) {
            return byVersion.computeIfAbsent(version, Codec::new);
        }

        static final class Codec {
            private final MqttVersion version;
            private final EmbeddedChannel encoder = tool(MqttEncoder.INSTANCE);
            private EmbeddedChannel decoder;

            Codec(MqttVersion version) {
                this.version = version;
                // The encoder learns the version from the CONNECT it encodes, the decoder from the one it decodes.
                newDecoder();
            }

            private void newDecoder() {
                decoder = tool(new MqttDecoder(MqttConfig.PROTOCOL_MAX_PACKET_SIZE, 65_535));
                byte[] connect = encode(MqttMessageBuilders.connect().clientId("probe").protocolVersion(version).build());
                decoder.writeInbound(Unpooled.wrappedBuffer(connect));
                ReferenceCountUtil.release(decoder.readInbound());
            }

            private static EmbeddedChannel tool(ChannelHandler handler) {
                EmbeddedChannel tool = new EmbeddedChannel();
                tool.config().setOption(ChannelOption.ALLOCATOR, new UnpooledByteBufAllocator(false, true));
                tool.pipeline().addLast(handler);
                return tool;
            }

            byte[] encode(MqttMessage message) {
                encoder.writeOutbound(message);
                ByteBuf encoded = encoder.readOutbound();
                try {
                    return ByteBufUtil.getBytes(encoded);
                } finally {
                    encoded.release();
                }
            }

            /** Exactly one whole packet, or a message whose decoder result is a failure. */
            MqttMessage decode(byte[] packet) {
                decoder.writeInbound(Unpooled.wrappedBuffer(packet));
                MqttMessage decoded = decoder.readInbound();
                boolean whole = decoded != null && decoded.decoderResult().isSuccess() && decoder.inboundMessages().isEmpty();
                if (!whole) {
                    // The decoder is left mid-packet or broken: start a fresh one for the next packet.
                    decoder.finishAndReleaseAll();
                    if (decoded != null) {
                        ReferenceCountUtil.release(decoded);
                    }
                    newDecoder();
                    return MqttMessageFactory.newInvalidMessage(new IllegalStateException(
                            "not exactly one " + version + " packet"));
                }
                if (decoded instanceof MqttPublishMessage publish) {
                    MqttPublishMessage copy = publish.replace(Unpooled.wrappedBuffer(ByteBufUtil.getBytes(publish.payload())));
                    publish.release();
                    return copy;
                }
                return decoded;
            }
        }
    }
}
