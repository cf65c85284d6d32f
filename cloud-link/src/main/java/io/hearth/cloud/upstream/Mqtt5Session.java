package io.hearth.cloud.upstream;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt5.Mqtt5AsyncClient;
import com.hivemq.client.mqtt.mqtt5.message.subscribe.suback.Mqtt5SubAckReasonCode;
import java.util.concurrent.CompletableFuture;

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
                .thenApply(result -> {
                    if (result.getError().isPresent()) {
                        Throwable error = result.getError().get();
                        throw new UpstreamRefusedException(error.getMessage());
                    }
                    return null;
                });
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
