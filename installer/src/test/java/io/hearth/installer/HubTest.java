package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.core.config.HearthConfig;
import io.hearth.core.config.HttpConfig;
import io.hearth.core.config.MqttConfig;
import io.hearth.core.lifecycle.HubComponent;
import io.hearth.core.testing.FreePorts;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HubTest {

    @TempDir
    Path dir;

    private final int port = FreePorts.next();
    private final HealthProbe probe = new HealthProbe(port);
    private final List<String> events = new CopyOnWriteArrayList<>();
    private Hub hub;

    private HearthConfig config() {
        MqttConfig noListeners = new MqttConfig(0, 0, 0, false, 1200, 1_048_576, 256, 10_000, 10_000, List.of());
        return HearthConfig.defaults().withDataDir(dir).withHttp(new HttpConfig(port)).withMqtt(noListeners);
    }

    @AfterEach
    void stopHub() {
        if (hub != null) {
            hub.stop();
        }
        assertThat(TestPorts.isListening(port)).as("HTTP port released").isFalse();
    }

    @Test
    void healthAnswers503WhileStartingAnd200OnceEveryPartIsUp() throws Exception {
        TestComponent slow = TestComponent.held("slow", HubComponent.BROKER, events);
        hub = new Hub(config(), slow);
        CompletableFuture<Void> starting = CompletableFuture.runAsync(() -> {
            try {
                hub.start();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });

        HealthProbe.Answer during = probe.await(
                a -> a.body().path("components").path("store").path("status").asText().equals("UP"), Duration.ofSeconds(20));
        assertThat(during.status()).isEqualTo(503);
        assertThat(during.body().path("status").asText()).isEqualTo("STARTING");
        assertThat(during.body().path("components").path("slow").path("status").asText()).isEqualTo("STARTING");

        slow.release();
        starting.get(20, TimeUnit.SECONDS);
        HealthProbe.Answer after = probe.health();
        assertThat(after.status()).isEqualTo(200);
        assertThat(after.body().path("status").asText()).isEqualTo("UP");
        assertThat(after.body().path("version").asText()).isNotBlank();
        assertThat(after.body().path("components").path("store").path("details").path("schemas").path("core").asText())
                .isEqualTo("1");
    }

    @Test
    void aNonEssentialPartThatFailsLeavesTheHubRunningDegraded() throws Exception {
        // Named apart from the real Zigbee binding, which is part of every hub.
        TestComponent dongle = new TestComponent("test-dongle", HubComponent.BINDINGS, false, events)
                .failingWith("The Zigbee adapter is unplugged; check the USB cable");
        hub = new Hub(config(), dongle);
        hub.start();
        dongle.reportDown("The Zigbee adapter is unplugged; check the USB cable");

        HealthProbe.Answer answer = probe.health();
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().path("status").asText()).isEqualTo("DEGRADED");
        assertThat(answer.body().path("components").path("test-dongle").path("message").asText())
                .isEqualTo("The Zigbee adapter is unplugged; check the USB cable");
    }

    @Test
    void anEssentialPartGoingDownMakesHealth503() throws Exception {
        TestComponent broker = new TestComponent("broker", HubComponent.BROKER, true, events);
        hub = new Hub(config(), broker);
        hub.start();
        assertThat(probe.health().status()).isEqualTo(200);
        broker.reportDown("listener closed");
        HealthProbe.Answer answer = probe.health();
        assertThat(answer.status()).isEqualTo(503);
        assertThat(answer.body().path("status").asText()).isEqualTo("DOWN");
    }

    @Test
    void anEssentialPartThatFailsStopsTheStartAndReleasesEverything() throws Exception {
        TestComponent early = new TestComponent("early", HubComponent.SHADOWS, true, events);
        TestComponent broken = new TestComponent("broken", HubComponent.CLOUD, true, events) {
        }.failingWith("cannot bind");
        hub = new Hub(config(), early, broken);
        assertThatThrownBy(hub::start).isInstanceOf(Hub.HubStartException.class).hasMessage("broken could not start: cannot bind");
        assertThat(events).containsExactly("start early", "stop early");
        // The database was closed, so a new hub can open it.
        hub = new Hub(config());
        hub.start();
        assertThat(probe.health().status()).isEqualTo(200);
    }

    @Test
    void stoppingClosesTheListenerFirstThenThePartsInReverseOrder() throws Exception {
        TestComponent broker = new TestComponent("broker", HubComponent.BROKER, true, events);
        TestComponent binding = new TestComponent("binding", HubComponent.BINDINGS, true, events) {
        };
        broker.watchedHttpPort = port;
        binding.watchedHttpPort = port;
        hub = new Hub(config(), binding, broker);
        hub.start();
        assertThat(events).containsExactly("start broker", "start binding");
        hub.stop();
        assertThat(events).containsExactly("start broker", "start binding",
                "stop binding (HTTP closed)", "stop broker (HTTP closed)");
        assertThat(hub.report().status().name()).isEqualTo("STOPPING");
    }

    @Test
    void aStopRequestedBeforeTheStartPreventsIt() {
        hub = new Hub(config());
        hub.stop();
        assertThatThrownBy(hub::start).isInstanceOf(Hub.HubStartException.class);
        assertThat(TestPorts.isListening(port)).isFalse();
    }

    @Test
    void aRequestInFlightWhenStoppingStillGetsItsAnswer() throws Exception {
        SlowController.Gate gate = new SlowController.Gate();
        hub = new Hub(config(), gate);
        hub.start();
        CompletableFuture<HealthProbe.Answer> inFlight = CompletableFuture.supplyAsync(() -> {
            try {
                return probe.get("/test/slow");
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertThat(gate.entered.await(10, TimeUnit.SECONDS)).isTrue();
        hub.stop();
        HealthProbe.Answer answer = inFlight.get(10, TimeUnit.SECONDS);
        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body().asText()).isEqualTo("finished");
    }

    @Test
    void anHttpPortInUseIsExplainedWithWhatToDo() throws Exception {
        try (ServerSocket taken = new ServerSocket(port)) {
            hub = new Hub(config());
            assertThatThrownBy(hub::start).hasMessageContaining("port " + port + " is already in use by another program")
                    .hasMessageContaining("hearth.http.port");
            hub = null;
        }
    }

    @Test
    void theStatusPageIsServedAtTheRoot() throws Exception {
        hub = new Hub(config());
        hub.start();
        HealthProbe.Answer page = probe.get("/");
        assertThat(page.status()).isEqualTo(200);
        assertThat(page.body().asText()).contains("<title>Hearth</title>");
    }
}
