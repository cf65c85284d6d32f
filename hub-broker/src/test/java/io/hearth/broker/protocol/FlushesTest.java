package io.hearth.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import org.junit.jupiter.api.Test;

class FlushesTest {

    /** Answers each message read with the same message, flushed; promptly when it says so. */
    private static final class Echo extends ChannelInboundHandlerAdapter {
        @Override
        public void channelRead(ChannelHandlerContext context, Object message) {
            Flushes.routing(message.toString().startsWith("prompt"), () -> context.writeAndFlush(message));
        }
    }

    @Test
    void flushesWaitForTheEndOfTheReadExceptTheDeliveriesOfAFirstMessage() {
        EmbeddedChannel channel = new EmbeddedChannel(new Flushes(), new Echo());

        channel.pipeline().fireChannelRead("gathered");
        assertThat((Object) channel.readOutbound()).as("not flushed while the read goes on").isNull();
        channel.pipeline().fireChannelReadComplete();
        assertThat((Object) channel.readOutbound()).isEqualTo("gathered");

        channel.pipeline().fireChannelRead("prompt");
        assertThat((Object) channel.readOutbound()).as("flushed at once").isEqualTo("prompt");
        channel.pipeline().fireChannelRead("gathered again");
        assertThat((Object) channel.readOutbound()).isNull();
        channel.pipeline().fireChannelReadComplete();
        assertThat((Object) channel.readOutbound()).isEqualTo("gathered again");
        channel.finishAndReleaseAll();
    }
}
