package io.hearth.cloud.upstream;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5PubAckException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

/** A session over MQTT 5. */
final class Mqtt5Session implements UpstreamSession {

    private final Mqtt5AsyncClient client;

    Mqtt5Session(Mqtt5AsyncClient client) {
        this.client = client;
    }

    @Override
    public int protocolVersion() {
        return 5;
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(payload).send()
                .handle((result, failure) -> {
                    Throwable error = failure != null ? unwrap(failure) : result.getError().orElse(null);
                    if (error == null) {
                        return null;
                    }
                    if (error instanceof Mqtt5PubAckException refused) {
                        throw new UpstreamRefusedException(refused.getMqttMessage().getReasonString()
                                .map(Object::toString)
                                .orElse(refused.getMqttMessage().getReasonCode().name().toLowerCase(Locale.ROOT)
                                        .replace('_', ' ')));
                    }
                    throw error instanceof RuntimeException runtime ? runtime : new CompletionException(error);
                });
    }

    private static Throwable unwrap(Throwable failure) {
        return failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
    }

    @Override
    public CompletableFuture<Void> subscribe(String filter) {
        return client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send()
                .thenApply(ack -> {
                    for (Mqtt5SubAckReasonCode code : ack.getReasonCodes()) {
                        if (code.isError()) {
                            throw new UpstreamRefusedException("the cloud refused the subscription to " + filter
                                    + " (" + code + ")");
                        }
                    }
                    return null;
                });
    }
}
