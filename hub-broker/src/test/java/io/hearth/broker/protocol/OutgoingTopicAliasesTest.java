package io.hearth.broker.protocol;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import org.junit.jupiter.api.Test;

class OutgoingTopicAliasesTest {

    private static MqttPublishMessage publish(String topic) {
        return new MqttPublishMessage(new MqttFixedHeader(MqttMessageType.PUBLISH, false, MqttQoS.AT_MOST_ONCE, false, 0),
                new MqttPublishVariableHeader(topic, 0, new MqttProperties()), Unpooled.wrappedBuffer(new byte[] {1}));
    }

    private static String sent(EmbeddedChannel channel) {
        MqttPublishMessage out = channel.readOutbound();
        try {
            MqttProperties.MqttProperty<?> alias = out.variableHeader().properties().getProperty(MqttProperties.TOPIC_ALIAS);
            return "'" + out.variableHeader().topicName() + "'" + (alias == null ? "" : " alias " + alias.value());
        } finally {
            out.release();
        }
    }

    @Test
    void aTopicIsSpelledOutOnceThenSentByItsAliasUntilTheClientsMaximumIsReached() {
        EmbeddedChannel channel = new EmbeddedChannel(new OutgoingTopicAliases(2));
        for (String topic : new String[] {"meter/power", "meter/power", "meter/energy", "meter/voltage", "meter/energy"}) {
            channel.writeOutbound(publish(topic));
        }
        assertThat(sent(channel)).isEqualTo("'meter/power' alias 1");
        assertThat(sent(channel)).isEqualTo("'' alias 1");
        assertThat(sent(channel)).isEqualTo("'meter/energy' alias 2");
        assertThat(sent(channel)).isEqualTo("'meter/voltage'");
        assertThat(sent(channel)).isEqualTo("'' alias 2");
        assertThat(channel.finishAndReleaseAll()).isFalse();
    }
}
