package io.hearth.cloud.upstream;

import com.hivemq.client.mqtt.datatypes.MqttQos;
import com.hivemq.client.mqtt.mqtt3.Mqtt3AsyncClient;
import com.hivemq.client.mqtt.mqtt3.message.subscribe.suback.Mqtt3SubAckReturnCode;
import java.util.concurrent.CompletableFuture;

/** A session over MQTT 3.1.1, for clouds that refuse MQTT 5. */
final class Mqtt3Session implements UpstreamSession {

    private final Mqtt3AsyncClient client;

    Mqtt3Session(Mqtt3AsyncClient client) {
        this.client = client;
    }

    @Override
    public int protocolVersion() {
        return 3;
    }

    @Override
    public CompletableFuture<Void> publish(String topic, byte[] payload, boolean retain) {
        return client.publishWith().topic(topic).qos(MqttQos.AT_LEAST_ONCE).retain(retain).payload(payload).send()
                .thenApply(published -> null);
    }

    @Override
    public CompletableFuture<Void> subscribe(String filter) {
        return client.subscribeWith().topicFilter(filter).qos(MqttQos.AT_LEAST_ONCE).send()
                .thenApply(ack -> {
                    if (ack.getReturnCodes().contains(Mqtt3SubAckReturnCode.FAILURE)) {
                        throw new UpstreamRefusedException("the cloud refused the subscription to " + filter);
                    }
                    return null;
                });
    }
}
