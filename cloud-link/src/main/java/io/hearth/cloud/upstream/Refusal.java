package io.hearth.cloud.upstream;

import com.hivemq.client.mqtt.exceptions.ConnectionClosedException;
import com.hivemq.client.mqtt.exceptions.MqttDecodeException;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5DisconnectException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.message.disconnect.Mqtt5DisconnectReasonCode;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.channels.UnresolvedAddressException;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;

/**
 * Why a connection attempt failed or a connection ended, in words a homeowner can act on, and what
 * the link does next: try again later, try MQTT 3.1.1, or stop because retrying cannot help.
 *
 * @param permanent retrying with the same settings cannot succeed (credentials, identity, ban)
 * @param olderProtocol the cloud seems not to speak MQTT 5
 */
public record Refusal(String message, boolean permanent, boolean olderProtocol) {

    static Refusal of(Throwable failure, String endpoint, String thingName, String topicRoot) {
        Throwable cause = unwrap(failure);
        if (cause instanceof Mqtt5ConnAckException refused) {
            return ofConnAck5(refused.getMqttMessage().getReasonCode(), endpoint, thingName);
        }
        if (cause instanceof Mqtt3ConnAckException refused) {
            return ofConnAck3(refused.getMqttMessage().getReturnCode(), endpoint, thingName);
        }
        if (cause instanceof Mqtt5DisconnectException ended) {
            Mqtt5DisconnectReasonCode code = ended.getMqttMessage().getReasonCode();
            if (code == Mqtt5DisconnectReasonCode.SESSION_TAKEN_OVER) {
                return retry("The cloud at " + endpoint + " let another client log in as " + thingName
                        + "; two hubs must not share one hearth.cloud.thing-name");
            }
            String reason = ended.getMqttMessage().getReasonString().map(Object::toString).orElse(readable(code.name()));
            return retry("The cloud at " + endpoint + " ended the connection: " + reason
                    + (refusesTopics(code) && topicRoot.startsWith("$") ? dollarAdvice() : ""));
        }
        for (Throwable c = failure; c != null; c = c.getCause()) {
            if (c instanceof CertificateException || c instanceof SSLException) {
                return retry("A secure connection to the cloud at " + endpoint + " failed: " + c.getMessage()
                        + ". Check hearth.cloud.ca-file (the authority that signed the cloud's certificate), "
                        + "the client certificate and key, and the hub's clock");
            }
            if (c instanceof UnknownHostException || c instanceof UnresolvedAddressException) {
                return retry("The cloud's host name in " + endpoint + " cannot be found; check hearth.cloud.url "
                        + "and the hub's internet connection");
            }
            if (c instanceof ConnectException) {
                return retry("The cloud at " + endpoint + " cannot be reached (" + c.getMessage()
                        + "); the hub keeps working and tries again");
            }
            if (c instanceof MqttDecodeException) {
                return new Refusal("The cloud at " + endpoint + " answered in a form the hub does not understand: "
                        + c.getMessage(), false, true);
            }
        }
        if (cause instanceof ConnectionClosedException) {
            return retry("The connection to the cloud at " + endpoint + " was closed; the hub tries again");
        }
        return retry("The connection to the cloud at " + endpoint + " failed: " + cause.getMessage());
    }

    /** Codes a broker uses when it will not take what the hub published. */
    private static boolean refusesTopics(Mqtt5DisconnectReasonCode code) {
        return code == Mqtt5DisconnectReasonCode.PROTOCOL_ERROR || code == Mqtt5DisconnectReasonCode.TOPIC_NAME_INVALID
                || code == Mqtt5DisconnectReasonCode.NOT_AUTHORIZED;
    }

    /** Some brokers (HiveMQ among them) keep topics starting with '$' for themselves. */
    private static String dollarAdvice() {
        return ". If the cloud does not accept topics starting with '$', set hearth.cloud.topic-root to a plain "
                + "root such as aws (remote apps then use aws/things/...)";
    }

    private static Refusal ofConnAck5(Mqtt5ConnAckReasonCode code, String endpoint, String thingName) {
        return switch (code) {
            case BAD_USER_NAME_OR_PASSWORD, NOT_AUTHORIZED, BAD_AUTHENTICATION_METHOD -> credentials(endpoint);
            case CLIENT_IDENTIFIER_NOT_VALID -> identity(endpoint, thingName);
            case BANNED -> new Refusal("The cloud at " + endpoint + " has banned the hub (" + thingName
                    + "); ask the cloud's operator, then restart the hub", true, false);
            case UNSUPPORTED_PROTOCOL_VERSION -> new Refusal("The cloud at " + endpoint + " does not speak MQTT 5",
                    false, true);
            default -> retry("The cloud at " + endpoint + " refused the connection for now (" + readable(code.name())
                    + "); the hub tries again");
        };
    }

    private static Refusal ofConnAck3(Mqtt3ConnAckReturnCode code, String endpoint, String thingName) {
        return switch (code) {
            case BAD_USER_NAME_OR_PASSWORD, NOT_AUTHORIZED -> credentials(endpoint);
            case IDENTIFIER_REJECTED -> identity(endpoint, thingName);
            case UNSUPPORTED_PROTOCOL_VERSION -> new Refusal("The cloud at " + endpoint
                    + " speaks neither MQTT 5 nor MQTT 3.1.1", false, true);
            default -> retry("The cloud at " + endpoint + " refused the connection for now (" + readable(code.name())
                    + "); the hub tries again");
        };
    }

    private static Refusal credentials(String endpoint) {
        return new Refusal("The cloud at " + endpoint + " refused the hub's login. Check hearth.cloud.username and "
                + "hearth.cloud.password (or the client certificate), then restart the hub", true, false);
    }

    private static Refusal identity(String endpoint, String thingName) {
        return new Refusal("The cloud at " + endpoint + " refused the hub's identity \"" + thingName
                + "\". Check hearth.cloud.thing-name, then restart the hub", true, false);
    }

    private static Refusal retry(String message) {
        return new Refusal(message, false, false);
    }

    private static String readable(String constant) {
        return constant.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }

    private static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof java.util.concurrent.CompletionException
                || cause instanceof java.util.concurrent.ExecutionException) && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
