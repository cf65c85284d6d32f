package io.hearth.broker.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.AttributeKey;
import java.util.List;

/**
 * Mosquitto bridges announce themselves with the top bit of CONNECT's protocol level set (0x83,
 * 0x84), which the MQTT decoder would refuse. This handler reads the first packet's header,
 * clears that bit, marks the connection as a bridge, and steps out of the pipeline.
 */
public final class BridgeProtocolLevel extends ByteToMessageDecoder {

    /** Set on connections that came in as Mosquitto bridges. */
    public static final AttributeKey<Boolean> BRIDGE = AttributeKey.valueOf("hearth.bridge");

    private static final int CONNECT = 0x10;

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        if (!in.isReadable()) {
            return;
        }
        if ((in.getUnsignedByte(start) & 0xF0) == CONNECT) {
            // Fixed header: type byte, then a Remaining Length of one to four bytes.
            int index = start + 1;
            int lengthBytes = 0;
            while (true) {
                if (index >= in.writerIndex()) {
                    return; // wait for more bytes
                }
                lengthBytes++;
                if ((in.getUnsignedByte(index++) & 0x80) == 0 || lengthBytes == 4) {
                    break;
                }
            }
            // Variable header: protocol name (two-byte length, then the name), then the level.
            if (index + 2 > in.writerIndex()) {
                return;
            }
            int levelIndex = index + 2 + in.getUnsignedShort(index);
            if (levelIndex >= in.writerIndex()) {
                return;
            }
            int level = in.getUnsignedByte(levelIndex);
            if ((level & 0x80) != 0) {
                in.setByte(levelIndex, level & 0x7F);
                ctx.channel().attr(BRIDGE).set(Boolean.TRUE);
            }
        }
        // Whatever the first packet is, the MQTT decoder takes it from here.
        out.add(in.readRetainedSlice(in.readableBytes()));
        ctx.pipeline().remove(this);
    }
}
