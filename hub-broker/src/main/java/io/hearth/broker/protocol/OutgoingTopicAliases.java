package io.hearth.broker.protocol;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandlerAdapter;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPublishMessage;
import io.netty.handler.codec.mqtt.MqttPublishVariableHeader;
import java.util.HashMap;
import java.util.Map;

/**
 * MQTT 5 topic aliases from the broker to a client that allows them: the first message on a
 * topic carries the topic and a new alias, later ones only the alias, until the client's Topic
 * Alias Maximum is used up. Aliases are given out here, in the order messages really go out on
 * the wire, so a message never uses an alias before the one that defines it.
 */
final class OutgoingTopicAliases extends ChannelOutboundHandlerAdapter {

    private final int maximum;
    private final Map<String, Integer> aliases = new HashMap<>();

    OutgoingTopicAliases(int maximum) {
        this.maximum = maximum;
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (msg instanceof MqttPublishMessage publish) {
            msg = withAlias(publish);
        }
        ctx.write(msg, promise);
    }

    private MqttPublishMessage withAlias(MqttPublishMessage publish) {
        MqttPublishVariableHeader header = publish.variableHeader();
        String topic = header.topicName();
        Integer alias = aliases.get(topic);
        boolean known = alias != null;
        if (!known) {
            if (aliases.size() >= maximum) {
                return publish;
            }
            alias = aliases.size() + 1;
            aliases.put(topic, alias);
        }
        MqttProperties properties = new MqttProperties();
        header.properties().listAll().forEach(properties::add);
        properties.add(new MqttProperties.IntegerProperty(MqttProperties.TOPIC_ALIAS, alias));
        return new MqttPublishMessage(publish.fixedHeader(),
                new MqttPublishVariableHeader(known ? "" : topic, header.packetId(), properties), publish.payload());
    }
}
