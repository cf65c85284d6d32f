package io.hearth.shadow;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.core.bus.Bus;
import io.hearth.core.bus.BusClient;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Qos;
import io.hearth.core.lifecycle.Health;
import io.hearth.core.lifecycle.HubComponent;
import jakarta.inject.Singleton;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The AWS IoT Device Shadow MQTT API: requests on {@code $aws/things/THING/shadow[/name/SHADOW]/get|update|delete}
 * go to the {@link ShadowService}; refusals are answered on the matching {@code /rejected} topic.
 * Accepted answers are published by the service itself, so REST requests announce them too.
 */
@Singleton
public final class ShadowMqttApi implements HubComponent {

    static final String CLASSIC_REQUESTS = "$aws/things/+/shadow/+";
    static final String NAMED_REQUESTS = "$aws/things/+/shadow/name/+/+";

    private final Bus bus;
    private final ShadowService shadows;
    private volatile BusClient client;

    public ShadowMqttApi(Bus bus, ShadowService shadows) {
        this.bus = bus;
        this.shadows = shadows;
    }

    @Override
    public String name() {
        return "shadow-mqtt";
    }

    @Override
    public int startOrder() {
        return SHADOWS + 10;
    }

    @Override
    public void start() throws Exception {
        client = bus.connect("shadow-service");
        client.subscribe(CLASSIC_REQUESTS, Qos.AT_LEAST_ONCE, this::onRequest).toCompletableFuture().get(5, TimeUnit.SECONDS);
        client.subscribe(NAMED_REQUESTS, Qos.AT_LEAST_ONCE, this::onRequest).toCompletableFuture().get(5, TimeUnit.SECONDS);
    }

    @Override
    public void stop() {
        BusClient current = client;
        if (current != null) {
            current.close();
            client = null;
        }
    }

    @Override
    public Health health() {
        return client == null ? Health.starting() : Health.up(java.util.Map.of());
    }

    private void onRequest(BusMessage message) {
        String[] levels = message.topic().split("/", -1);
        String thing = levels[2];
        String shadow = levels.length == 7 ? levels[5] : null;
        String operation = levels[levels.length - 1];
        if (!operation.equals("get") && !operation.equals("update") && !operation.equals("delete")) {
            return;
        }
        if (levels.length == 7 && !levels[4].equals("name")) {
            return;
        }
        String prefix = String.join("/", java.util.Arrays.copyOf(levels, levels.length - 1));
        String problem = ShadowName.problem(thing, shadow);
        if (problem != null) {
            reject(prefix + "/" + operation, new ShadowException(ShadowError.invalidName(problem), null));
            return;
        }
        ShadowName name = new ShadowName(thing, shadow);
        CompletableFuture<ShadowReply> reply = switch (operation) {
            case "get" -> shadows.get(name, message.payload()).thenApply(answer -> {
                shadows.publish(name.topicPrefix() + "/get/accepted", answer.body());
                return answer;
            });
            case "update" -> shadows.update(name, message.payload());
            default -> shadows.delete(name, message.payload());
        };
        reply.whenComplete((ok, failure) -> {
            if (failure != null) {
                reject(name.topicPrefix() + "/" + operation, failure);
            }
        });
    }

    private void reject(String requestTopic, Throwable failure) {
        shadows.publish(requestTopic + "/rejected", errorBody(ShadowException.of(failure)));
    }

    /** {@code {"code":C,"message":"...","timestamp":T,"clientToken":"..."}}, as AWS IoT sends it. */
    public static ObjectNode errorBody(ShadowException refused) {
        ObjectNode body = JsonNodeFactory.instance.objectNode();
        body.put("code", refused.error().code());
        body.put("message", refused.error().message());
        body.put("timestamp", ShadowService.nowSeconds());
        if (refused.clientToken() != null) {
            body.put("clientToken", refused.clientToken());
        }
        return body;
    }
}
