package io.hearth.bench;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttEncoder;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import java.util.concurrent.TimeUnit;
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

/** Encoding the PUBLISH the broker sends most: QoS 1, a device topic, 64 bytes of payload. */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class PublishEncodingBenchmark {

    private final byte[] payload = new byte[64];
    private EmbeddedChannel channel;

    @Setup
    public void channel() {
        channel = new EmbeddedChannel(MqttEncoder.INSTANCE);
    }

    @TearDown
    public void close() {
        channel.finishAndReleaseAll();
    }

    @Benchmark
    public int encodePublish() {
        MqttPublishMessage message = new MqttPublishMessage(
                new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_LEAST_ONCE, false, 0),
                new MqttPublishVariableHeader("hearth/devices/zigbee-00124b0001a2b3c4/state", 42, MqttProperties.NO_PROPERTIES),
                Unpooled.wrappedBuffer(payload));
        channel.writeOutbound(message);
        ByteBuf encoded = channel.readOutbound();
        int size = encoded.readableBytes();
        encoded.release();
        return size;
    }
}
