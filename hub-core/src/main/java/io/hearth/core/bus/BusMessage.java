package io.hearth.core.bus;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;

/**
 * An application message as MQTT 5 carries it. The payload array is shared, not copied, on its way
 * through the hub: whoever builds a message hands it over and must not change it afterwards.
 *
 * @param expirySeconds remaining Message Expiry Interval in seconds, or null for none
 * @param contentType MIME type of the payload, or null
 * @param responseTopic where a request wants its response, or null
 * @param correlationData request/response correlation bytes, or null
 * @param payloadFormat the Payload Format Indicator as the publisher sent it: 0 unspecified bytes,
 *     1 UTF-8 text, or null when it sent none; forwarded as it came
 */
public record BusMessage(String topic, byte[] payload, Qos qos, boolean retain, List<UserProperty> userProperties,
                         Long expirySeconds, String contentType, String responseTopic, byte[] correlationData,
                         Integer payloadFormat) {

    /** Payload Format Indicator value for UTF-8 text. */
    public static final int PAYLOAD_UTF8 = 1;

    private static final byte[] EMPTY = new byte[0];

    public BusMessage {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(qos, "qos");
        payload = payload == null ? EMPTY : payload;
        userProperties = userProperties == null ? List.of() : List.copyOf(userProperties);
        if (expirySeconds != null && expirySeconds < 0) {
            throw new IllegalArgumentException("expirySeconds must not be negative");
        }
        if (payloadFormat != null && payloadFormat != 0 && payloadFormat != PAYLOAD_UTF8) {
            throw new IllegalArgumentException("payloadFormat must be 0 or 1");
        }
    }

    /** A plain message with a UTF-8 text payload. */
    public static BusMessage of(String topic, String text, Qos qos, boolean retain) {
        return of(topic, text.getBytes(StandardCharsets.UTF_8), qos, retain);
    }

    public static BusMessage of(String topic, byte[] payload, Qos qos, boolean retain) {
        return new BusMessage(topic, payload, qos, retain, List.of(), null, null, null, null, null);
    }

    /** True when the publisher declared the payload UTF-8 text. */
    public boolean payloadIsText() {
        return payloadFormat != null && payloadFormat == PAYLOAD_UTF8;
    }

    /** The same message with its remaining Message Expiry Interval set to {@code seconds}. */
    public BusMessage withExpirySeconds(Long seconds) {
        return new BusMessage(topic, payload, qos, retain, userProperties, seconds, contentType, responseTopic,
                correlationData, payloadFormat);
    }

    public String payloadText() {
        return new String(payload, StandardCharsets.UTF_8);
    }

    public BusMessage withQos(Qos newQos) {
        if (newQos == qos) {
            return this;
        }
        return new BusMessage(topic, payload, newQos, retain, userProperties, expirySeconds, contentType,
                responseTopic, correlationData, payloadFormat);
    }

    public BusMessage withRetain(boolean newRetain) {
        if (newRetain == retain) {
            return this;
        }
        return new BusMessage(topic, payload, qos, newRetain, userProperties, expirySeconds, contentType,
                responseTopic, correlationData, payloadFormat);
    }
}
