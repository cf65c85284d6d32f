package io.hearth.broker.protocol;

import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.UserProperty;
import io.netty.handler.codec.mqtt.MqttProperties;
import java.util.ArrayList;
import java.util.List;

/** Reading and writing the MQTT 5 properties the broker uses. */
final class Properties5 {

    private Properties5() {
    }

    static Integer integer(MqttProperties properties, MqttProperties.MqttPropertyType type) {
        MqttProperties.MqttProperty<?> property = properties.getProperty(type.value());
        return property == null ? null : (Integer) property.value();
    }

    /** A Four Byte Integer property read as unsigned. */
    static Long unsigned(MqttProperties properties, MqttProperties.MqttPropertyType type) {
        Integer value = integer(properties, type);
        return value == null ? null : Integer.toUnsignedLong(value);
    }

    static String string(MqttProperties properties, MqttProperties.MqttPropertyType type) {
        MqttProperties.MqttProperty<?> property = properties.getProperty(type.value());
        return property == null ? null : (String) property.value();
    }

    static byte[] binary(MqttProperties properties, MqttProperties.MqttPropertyType type) {
        MqttProperties.MqttProperty<?> property = properties.getProperty(type.value());
        return property == null ? null : (byte[]) property.value();
    }

    static List<UserProperty> userProperties(MqttProperties properties) {
        if (properties.isEmpty()) {
            return List.of();
        }
        List<UserProperty> result = new ArrayList<>();
        for (MqttProperties.MqttProperty<?> property : properties.getProperties(MqttProperties.USER_PROPERTY)) {
            Object value = property.value();
            if (value instanceof MqttProperties.StringPair pair) {
                result.add(new UserProperty(pair.key, pair.value));
            } else if (value instanceof List<?> pairs) {
                for (Object item : pairs) {
                    MqttProperties.StringPair pair = (MqttProperties.StringPair) item;
                    result.add(new UserProperty(pair.key, pair.value));
                }
            }
        }
        return result;
    }

    /** The application message properties of a PUBLISH (or will) as the bus carries them. */
    static BusMessage message(String topic, byte[] payload, int qos, boolean retain, MqttProperties properties) {
        return new BusMessage(topic, payload, io.hearth.core.bus.Qos.of(qos), retain, userProperties(properties),
                unsigned(properties, MqttProperties.MqttPropertyType.PUBLICATION_EXPIRY_INTERVAL),
                string(properties, MqttProperties.MqttPropertyType.CONTENT_TYPE),
                string(properties, MqttProperties.MqttPropertyType.RESPONSE_TOPIC),
                binary(properties, MqttProperties.MqttPropertyType.CORRELATION_DATA),
                integer(properties, MqttProperties.MqttPropertyType.PAYLOAD_FORMAT_INDICATOR));
    }

    /** The properties of an outgoing PUBLISH. */
    static MqttProperties forPublish(BusMessage message, List<Integer> subscriptionIds) {
        MqttProperties properties = new MqttProperties();
        if (message.payloadFormat() != null) {
            properties.add(new MqttProperties.IntegerProperty(MqttProperties.PAYLOAD_FORMAT_INDICATOR,
                    message.payloadFormat()));
        }
        if (message.expirySeconds() != null) {
            properties.add(new MqttProperties.IntegerProperty(MqttProperties.PUBLICATION_EXPIRY_INTERVAL,
                    (int) Math.min(message.expirySeconds(), 0xFFFFFFFFL)));
        }
        if (message.contentType() != null) {
            properties.add(new MqttProperties.StringProperty(MqttProperties.CONTENT_TYPE, message.contentType()));
        }
        if (message.responseTopic() != null) {
            properties.add(new MqttProperties.StringProperty(MqttProperties.RESPONSE_TOPIC, message.responseTopic()));
        }
        if (message.correlationData() != null) {
            properties.add(new MqttProperties.BinaryProperty(MqttProperties.CORRELATION_DATA, message.correlationData()));
        }
        if (!message.userProperties().isEmpty()) {
            MqttProperties.UserProperties user = new MqttProperties.UserProperties();
            for (UserProperty property : message.userProperties()) {
                user.add(property.name(), property.value());
            }
            properties.add(user);
        }
        for (Integer id : subscriptionIds) {
            properties.add(new MqttProperties.IntegerProperty(MqttProperties.SUBSCRIPTION_IDENTIFIER, id));
        }
        return properties;
    }

    /**
     * At least the encoded size of a PUBLISH carrying {@code message}: fixed header, topic, packet
     * id, payload and (MQTT 5) every property {@link #forPublish} adds, strings counted at three
     * bytes a char. Compared with the client's Maximum Packet Size before sending.
     */
    static long publishSizeAtMost(BusMessage message, List<Integer> subscriptionIds, boolean v5) {
        long size = 5 + 2 + 3L * message.topic().length() + 2 + message.payload().length;
        if (v5) {
            size += 4 + 5L * subscriptionIds.size();
            if (message.payloadFormat() != null) {
                size += 2;
            }
            if (message.expirySeconds() != null) {
                size += 5;
            }
            size += stringProperty(message.contentType()) + stringProperty(message.responseTopic());
            if (message.correlationData() != null) {
                size += 3 + message.correlationData().length;
            }
            for (UserProperty property : message.userProperties()) {
                size += 5 + 3L * property.name().length() + 3L * property.value().length();
            }
        }
        return size;
    }

    private static long stringProperty(String value) {
        return value == null ? 0 : 3 + 3L * value.length();
    }

    static MqttProperties reason(String reason) {
        if (reason == null) {
            // Shared and never changed: most acknowledgements carry no reason.
            return MqttProperties.NO_PROPERTIES;
        }
        MqttProperties properties = new MqttProperties();
        properties.add(new MqttProperties.StringProperty(MqttProperties.REASON_STRING, reason));
        return properties;
    }
}
