package io.hearth.broker.protocol;

import io.hearth.core.bus.BusMessage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import io.netty.buffer.ByteBufUtil;
import io.netty.handler.codec.mqtt.MqttMessageType;

/**
 * The two packets of every QoS 1/2 exchange written straight into one buffer: an acknowledgement
 * without a reason (four bytes in MQTT 3.1.1 and 5) and a PUBLISH to an MQTT 3.1.1 client (no
 * properties). They make up most of what the broker sends; building Netty's message objects for
 * them and running them through its general encoder cost more than the bytes themselves. Anything
 * else goes through Netty's encoder.
 */
final class HandEncoded {

    private HandEncoded() {
    }

    /** PUBACK, PUBREC, PUBREL or PUBCOMP for {@code packetId} with reason Success (MQTT 5 §3.4.2.1 allows omitting it). */
    static ByteBuf ack(ByteBufAllocator alloc, MqttMessageType type, int packetId) {
        // PUBREL's fixed header flags are 0010 (§3.6.1); the others' are 0.
        int flags = type == MqttMessageType.PUBREL ? 0x02 : 0;
        return alloc.buffer(4).writeByte(type.value() << 4 | flags).writeByte(2).writeShort(packetId);
    }

    /** An MQTT 3.1.1 PUBLISH of {@code message}; {@code packetId} is ignored for QoS 0. */
    static ByteBuf publish311(ByteBufAllocator alloc, BusMessage message, int packetId, boolean duplicate) {
        int qos = message.qos().level();
        int topicBytes = ByteBufUtil.utf8Bytes(message.topic());
        int remaining = 2 + topicBytes + (qos > 0 ? 2 : 0) + message.payload().length;
        ByteBuf out = alloc.buffer(1 + lengthBytes(remaining) + remaining);
        out.writeByte(MqttMessageType.PUBLISH.value() << 4 | (duplicate ? 0x08 : 0) | qos << 1 | (message.retain() ? 1 : 0));
        for (int left = remaining; ; ) {
            int digit = left & 0x7F;
            left >>>= 7;
            if (left == 0) {
                out.writeByte(digit);
                break;
            }
            out.writeByte(digit | 0x80);
        }
        out.writeShort(topicBytes);
        ByteBufUtil.reserveAndWriteUtf8(out, message.topic(), topicBytes);
        if (qos > 0) {
            out.writeShort(packetId);
        }
        return out.writeBytes(message.payload());
    }

    /** Bytes of the Remaining Length field for {@code remaining}. */
    private static int lengthBytes(int remaining) {
        int bytes = 1;
        for (int left = remaining >>> 7; left != 0; left >>>= 7) {
            bytes++;
        }
        return bytes;
    }
}
