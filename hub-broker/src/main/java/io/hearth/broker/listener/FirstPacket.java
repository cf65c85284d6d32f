package io.hearth.broker.listener;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.AttributeKey;
import java.util.List;

/**
 * Reads the header of a connection's first packet before the MQTT decoder buffers anything:
 * <ul>
 * <li>anything but a CONNECT closes the connection at once (an unauthenticated client must not
 *     make the hub hold a large body, CVE-2023-0809);</li>
 * <li>a CONNECT announcing more than {@code maxConnectBytes} closes it too;</li>
 * <li>Mosquitto bridges set the top bit of the protocol level (0x83, 0x84), which the decoder would
 *     refuse: the bit is cleared and the connection marked as a bridge.</li>
 * </ul>
 * Then it steps out of the pipeline.
 */
public final class FirstPacket extends ByteToMessageDecoder {

    /** Set on connections that came in as Mosquitto bridges. */
    public static final AttributeKey<Boolean> BRIDGE = AttributeKey.valueOf("hearth.bridge");

    private static final int CONNECT = 0x10;

    private final int maxConnectBytes;

    public FirstPacket(int maxConnectBytes) {
        this.maxConnectBytes = maxConnectBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        int start = in.readerIndex();
        if (!in.isReadable()) {
            return;
        }
        if (in.getUnsignedByte(start) != CONNECT) {
            in.skipBytes(in.readableBytes());
            ctx.close();
            return;
        }
        // Remaining Length: one to four bytes, seven bits each.
        int index = start + 1;
        int remaining = 0;
        for (int shift = 0; ; shift += 7) {
            if (index >= in.writerIndex()) {
                return; // wait for more bytes
            }
            int digit = in.getUnsignedByte(index++);
            remaining += (digit & 0x7F) << shift;
            if ((digit & 0x80) == 0 || shift == 21) {
                break;
            }
        }
        if (remaining > maxConnectBytes) {
            in.skipBytes(in.readableBytes());
            ctx.close();
            return;
        }
        // Variable header: protocol name (two-byte length, then the name), then the level. Wait
        // only for bytes inside the packet: a length pointing past its end is the decoder's to refuse.
        int packetEnd = index + remaining;
        if (index + 2 <= packetEnd) {
            if (index + 2 > in.writerIndex()) {
                return;
            }
            int levelIndex = index + 2 + in.getUnsignedShort(index);
            if (levelIndex < packetEnd) {
                if (levelIndex >= in.writerIndex()) {
                    return;
                }
                int level = in.getUnsignedByte(levelIndex);
                if ((level & 0x80) != 0) {
                    in.setByte(levelIndex, level & 0x7F);
                    ctx.channel().attr(BRIDGE).set(Boolean.TRUE);
                }
            }
        }
        out.add(in.readRetainedSlice(in.readableBytes()));
        ctx.pipeline().remove(this);
    }
}
