package io.hearth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.core.bus.BusClient;
import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.BusRefusedException;
import io.hearth.core.bus.BusSubscription;
import io.hearth.core.bus.Qos;
import io.hearth.core.config.AclRule;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** In-process clients share routing, retained messages and access rules with network clients. */
@org.junit.jupiter.api.Timeout(value = 60, unit = TimeUnit.SECONDS)
class BusTest {

    private RunningBroker running;
    private final V3TestClients clients = new V3TestClients();

    @AfterEach
    void close() throws Exception {
        clients.closeAll();
        running.close();
    }

    private MqttClient networkClient() throws Exception {
        return clients.connect(running.tcp(), "device", new MqttConnectOptions());
    }

    @Test
    void anInProcessClientAndANetworkClientHearEachOther() throws Exception {
        running = RunningBroker.open();
        BusClient shadow = running.broker.connect("shadow-service");
        BlockingQueue<BusMessage> heard = new LinkedBlockingQueue<>();
        shadow.subscribe("$aws/things/+/shadow/update", Qos.AT_LEAST_ONCE, heard::add).toCompletableFuture().join();

        MqttClient device = networkClient();
        BlockingQueue<String> deviceHeard = new LinkedBlockingQueue<>();
        device.subscribe("$aws/things/lamp/shadow/update/accepted", 1,
                (topic, message) -> deviceHeard.add(new String(message.getPayload(), StandardCharsets.UTF_8)));
        device.publish("$aws/things/lamp/shadow/update", "{\"state\":{}}".getBytes(StandardCharsets.UTF_8), 1, false);

        BusMessage update = heard.poll(5, TimeUnit.SECONDS);
        assertThat(update).isNotNull();
        assertThat(update.payloadText()).isEqualTo("{\"state\":{}}");
        assertThat(update.qos()).isEqualTo(Qos.AT_LEAST_ONCE);

        shadow.publish(BusMessage.of("$aws/things/lamp/shadow/update/accepted", "{\"version\":1}", Qos.AT_LEAST_ONCE, false))
                .toCompletableFuture().join();
        assertThat(deviceHeard.poll(5, TimeUnit.SECONDS)).isEqualTo("{\"version\":1}");
    }

    @Test
    void retainedMessagesAndClosingWorkInProcess() throws Exception {
        running = RunningBroker.open();
        BusClient binding = running.broker.connect("zigbee");
        binding.publish(BusMessage.of("hearth/devices/lamp/availability", "online", Qos.AT_LEAST_ONCE, true))
                .toCompletableFuture().join();
        BusClient ui = running.broker.connect("web-ui");
        BlockingQueue<BusMessage> heard = new LinkedBlockingQueue<>();
        BusSubscription subscription = ui.subscribe("hearth/devices/+/availability", Qos.AT_LEAST_ONCE, heard::add)
                .toCompletableFuture().join();
        BusMessage retained = heard.poll(1, TimeUnit.SECONDS);
        assertThat(retained.retain()).isTrue();
        assertThat(retained.payloadText()).isEqualTo("online");

        subscription.close();
        binding.publish(BusMessage.of("hearth/devices/lamp/availability", "offline", Qos.AT_LEAST_ONCE, true))
                .toCompletableFuture().join();
        assertThat(heard.poll(200, TimeUnit.MILLISECONDS)).isNull();
        assertThat(running.broker.subscriptionCount()).isZero();
    }

    @Test
    void accessRulesApplyToInProcessClientsToo() {
        running = openQuietly(List.of(
                new AclRule(AclRule.Effect.DENY, AclRule.Action.ALL, "locks/#", "cloud-link")));
        BusClient cloud = running.broker.connect("cloud-link");
        assertThatThrownBy(() -> cloud.publish(BusMessage.of("locks/front", "open", Qos.AT_LEAST_ONCE, false))
                .toCompletableFuture().join())
                .isInstanceOf(CompletionException.class)
                .cause().isInstanceOfSatisfying(BusRefusedException.class, e -> assertThat(e.reasonCode()).isEqualTo(0x87));
        assertThatThrownBy(() -> cloud.subscribe("#", Qos.AT_MOST_ONCE, m -> { }).toCompletableFuture().join())
                .cause().isInstanceOf(BusRefusedException.class);
        assertThatThrownBy(() -> cloud.publish(BusMessage.of("bad/+", "x", Qos.AT_MOST_ONCE, false)).toCompletableFuture().join())
                .cause().isInstanceOfSatisfying(BusRefusedException.class, e -> assertThat(e.reasonCode()).isEqualTo(0x90));
        BusClient other = running.broker.connect("web-ui");
        assertThat(other.publish(BusMessage.of("locks/front", "x", Qos.AT_MOST_ONCE, false)).toCompletableFuture())
                .succeedsWithin(java.time.Duration.ofSeconds(1));
    }

    private static RunningBroker openQuietly(List<AclRule> rules) {
        try {
            return RunningBroker.open(rules);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
