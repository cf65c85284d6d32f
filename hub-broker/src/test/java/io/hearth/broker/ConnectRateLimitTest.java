package io.hearth.broker;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hivemq.client.mqtt.mqtt3.Mqtt3BlockingClient;
import com.hivemq.client.mqtt.mqtt3.Mqtt3Client;
import com.hivemq.client.mqtt.mqtt3.exceptions.Mqtt3ConnAckException;
import com.hivemq.client.mqtt.mqtt3.message.connect.connack.Mqtt3ConnAckReturnCode;
import com.hivemq.client.mqtt.mqtt5.Mqtt5BlockingClient;
import com.hivemq.client.mqtt.mqtt5.Mqtt5Client;
import com.hivemq.client.mqtt.mqtt5.exceptions.Mqtt5ConnAckException;
import com.hivemq.client.mqtt.mqtt5.message.connect.connack.Mqtt5ConnAckReasonCode;
import io.hearth.broker.listener.ConnectRate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** One address opening connections too fast is refused with a reason, and let in again after a pause. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ConnectRateLimitTest {

    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);

    private RunningBroker broker;
    private final List<Runnable> disconnects = new ArrayList<>();

    @AfterEach
    void stop() {
        disconnects.forEach(Runnable::run);
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    void anAddressMayBurstToTwiceItsRateThenWaitsForItToRefill() {
        ConnectRate rate = new ConnectRate(5);
        long start = 1_000 * SECOND;
        for (int i = 0; i < 10; i++) {
            assertThat(rate.allow("192.0.2.7", start)).as("connection " + i).isTrue();
        }
        assertThat(rate.allow("192.0.2.7", start)).isFalse();
        assertThat(rate.allow("192.0.2.8", start)).as("another address has its own allowance").isTrue();
        assertThat(rate.allow("192.0.2.7", start + SECOND / 10)).as("a tenth of a second refills half a token").isFalse();
        assertThat(rate.allow("192.0.2.7", start + SECOND / 5)).isTrue();

        rate.forgetRested(start + SECOND);
        assertThat(rate.allow("192.0.2.8", start + 10 * SECOND)).isTrue();
        rate.forgetRested(start + 100 * SECOND);
        assertThat(rate.addressesTracked()).isZero();
        assertThat(new ConnectRate(0).allow("192.0.2.7", start)).as("0 means no limit").isTrue();
    }

    @Test
    void beyondTheLimitMqtt5ClientsGet0x9fAnd311ClientsServerUnavailable() throws Exception {
        broker = RunningBroker.withConnectRateLimit(5);
        for (int i = 0; i < 10; i++) {
            assertThat(v5("burst-" + i).connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
        }
        assertThatThrownBy(() -> v5("one-too-many").connect())
                .isInstanceOfSatisfying(Mqtt5ConnAckException.class, e -> {
                    assertThat(e.getMqttMessage().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.CONNECTION_RATE_EXCEEDED);
                    assertThat(e.getMqttMessage().getReasonString()).hasValueSatisfying(
                            reason -> assertThat(reason.toString()).contains("too many connections from 127.0.0.1"));
                });
        Mqtt3BlockingClient old = Mqtt3Client.builder().identifier("old").serverHost("127.0.0.1").serverPort(broker.port)
                .buildBlocking();
        assertThatThrownBy(old::connect).isInstanceOfSatisfying(Mqtt3ConnAckException.class,
                e -> assertThat(e.getMqttMessage().getReturnCode()).isEqualTo(Mqtt3ConnAckReturnCode.SERVER_UNAVAILABLE));

        Thread.sleep(400);
        assertThat(v5("after-a-pause").connect().getReasonCode()).isEqualTo(Mqtt5ConnAckReasonCode.SUCCESS);
    }

    private Mqtt5BlockingClient v5(String id) {
        Mqtt5BlockingClient client = Mqtt5Client.builder().identifier(id).serverHost("127.0.0.1").serverPort(broker.port)
                .buildBlocking();
        disconnects.add(() -> {
            if (client.getState().isConnected()) {
                client.disconnect();
            }
        });
        return client;
    }
}
