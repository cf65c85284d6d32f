package io.hearth.serial;

import static io.hearth.serial.TestHub.json;
import static io.hearth.serial.TestHub.reports;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.core.config.SerialGateway;
import io.hearth.core.device.DeviceId;
import io.hearth.core.device.DeviceTopics;
import io.hearth.core.testing.MovableClock;
import io.hearth.serial.mysensors.NodeBook;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A MySensors gateway simulated on the far end of a pseudo-terminal pair, through real jssc ports and the real broker. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class MySensorsOverSerialTest {

    private static final DeviceId NODE_7 = DeviceId.mysensors("ms1", 7);

    @TempDir
    Path dir;
    private SocatPair socat;
    private TestHub hub;
    private SimulatedDevice gateway;
    private SerialBinding binding;

    @BeforeEach
    void plugInTheGateway() throws Exception {
        SocatPair.requireSocat();
        socat = SocatPair.start(dir);
        hub = new TestHub(dir.resolve("data"));
        binding = hub.startBinding(gatewayConfig());
        gateway = new SimulatedDevice(socat.device);
        awaitConnected();
    }

    private SerialGateway gatewayConfig() {
        return new SerialGateway("ms1", SerialGateway.Protocol.MYSENSORS, socat.hub.toString(), null, null, null, null, null);
    }

    private void awaitConnected() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (binding.health().status() != io.hearth.core.lifecycle.HealthStatus.UP && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(binding.health().status()).isEqualTo(io.hearth.core.lifecycle.HealthStatus.UP);
    }

    @AfterEach
    void unplug() throws Exception {
        if (gateway != null) {
            gateway.close();
        }
        if (hub != null) {
            hub.close();
        }
        if (socat != null) {
            socat.close();
        }
    }

    /** Node 7 presents two thermometers, a hygrometer and a relay, as a MySensors sketch does on boot. */
    private void presentNode7() throws Exception {
        gateway.send("0;255;3;0;14;Gateway startup complete.\n0;255;0;0;18;2.3.2\n");
        gateway.send("7;255;3;0;11;Greenhouse\n7;255;3;0;12;1.2\n7;255;0;0;17;2.3.2\n"
                + "7;1;0;0;6;\n7;2;0;0;6;\n7;3;0;0;7;\n7;4;0;0;3;\n");
    }

    @Test
    void aNodePresentingItselfWhilePairingIsOpenBecomesADeviceWithSuffixedKeys() throws Exception {
        binding.startPairing(Duration.ofMinutes(1));
        presentNode7();

        String info = hub.await(DeviceTopics.info(NODE_7), text -> !text.isEmpty());
        assertThat(info).isNotNull();
        JsonNode description = json(info);
        assertThat(description.path("name").asText()).isEqualTo("Greenhouse (node 7)");
        assertThat(description.path("binding").asText()).isEqualTo("serial");
        List<String> keys = new ArrayList<>();
        description.path("capabilities").forEach(c -> keys.add(c.path("key").asText()));
        assertThat(keys).containsExactly("temperature", "temperature_2", "humidity", "on");
        assertThat(description.path("capabilities").get(0).path("unit").asText()).isEqualTo("°C");
        assertThat(description.path("capabilities").get(0).path("access").asText()).isEqualTo("read");
        assertThat(description.path("capabilities").get(3).path("access").asText()).isEqualTo("write");
        assertThat(binding.pairingStatus().joined()).containsExactly(NODE_7);

        gateway.send("7;2;1;0;0;18.5\n");
        assertThat(hub.await(DeviceTopics.shadowUpdate(NODE_7), reports("temperature_2", 18.5))).isNotNull();
        assertThat(hub.await(DeviceTopics.availability(NODE_7), DeviceTopics.ONLINE::equals)).isNotNull();
    }

    @Test
    void aNodePresentingItselfWhilePairingIsClosedIsRecordedButNotAdded() throws Exception {
        presentNode7();
        gateway.send("7;1;1;0;0;21.0\n");
        Thread.sleep(800);
        assertThat(hub.payloads(DeviceTopics.info(NODE_7))).isEmpty();
        assertThat(hub.payloads(DeviceTopics.shadowUpdate(NODE_7))).isEmpty();
        assertThat(binding.health().details().get("ms1").toString()).contains("unpairedPresentations=1");
        // Recorded, so its id stays taken and pairing it later needs only a new presentation.
        NodeBook.StoredNode recorded = new NodeBook(hub.store.dataSource()).load("ms1").get(7);
        assertThat(recorded.paired()).isFalse();
        assertThat(recorded.layout().sketchName()).isEqualTo("Greenhouse");
        assertThat(recorded.layout().children()).hasSize(4);

        binding.startPairing(Duration.ofMinutes(1));
        presentNode7();
        assertThat(hub.await(DeviceTopics.info(NODE_7), text -> !text.isEmpty())).isNotNull();
        assertThat(new NodeBook(hub.store.dataSource()).load("ms1").get(7).paired()).isTrue();
    }

    @Test
    void aDesiredValueIsSentToTheNodeAndClearedWhenTheNodeEchoesIt() throws Exception {
        binding.startPairing(Duration.ofMinutes(1));
        presentNode7();
        assertThat(hub.await(DeviceTopics.info(NODE_7), text -> !text.isEmpty())).isNotNull();

        hub.publish(DeviceTopics.shadowDelta(NODE_7),
                "{\"state\":{\"on\":true,\"temperature\":30},\"metadata\":{\"on\":{\"timestamp\":1}},\"version\":4,\"timestamp\":1}");
        // The relay is child 4; V_STATUS is type 2; ack asked for. The read-only temperature is not sent.
        assertThat(gateway.readLine(5)).isEqualTo("7;4;1;1;2;1");
        gateway.send("7;4;1;1;2;1\n");

        String confirmation = hub.await(DeviceTopics.shadowUpdate(NODE_7), text -> json(text).path("state").has("desired"));
        assertThat(confirmation).isNotNull();
        assertThat(json(confirmation)).isEqualTo(json("{\"state\":{\"reported\":{\"on\":true},\"desired\":{\"on\":null}}}"));
        assertThat(gateway.readLine(1)).isNull();
    }

    @Test
    void aCommandIsAlsoConfirmedByTheNodesNextReportOfThatValue() throws Exception {
        binding.startPairing(Duration.ofMinutes(1));
        presentNode7();
        assertThat(hub.await(DeviceTopics.info(NODE_7), text -> !text.isEmpty())).isNotNull();

        hub.publish(DeviceTopics.shadowDelta(NODE_7), "{\"state\":{\"on\":false},\"version\":5,\"timestamp\":2}");
        assertThat(gateway.readLine(5)).isEqualTo("7;4;1;1;2;0");
        gateway.send("7;4;1;0;2;0\n");
        assertThat(hub.await(DeviceTopics.shadowUpdate(NODE_7),
                text -> json(text).equals(json("{\"state\":{\"reported\":{\"on\":false},\"desired\":{\"on\":null}}}")))).isNotNull();
    }

    @Test
    void aRebootingActuatorAskingForItsValueGetsTheLastCommandedOne() throws Exception {
        binding.startPairing(Duration.ofMinutes(1));
        presentNode7();
        assertThat(hub.await(DeviceTopics.info(NODE_7), text -> !text.isEmpty())).isNotNull();
        gateway.send("7;4;2;0;2;\n");
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!binding.health().details().get("ms1").toString().contains("unansweredRequests=1")
                && System.nanoTime() < deadline) {
            Thread.sleep(10); // nothing known yet, so nothing to answer
        }
        hub.publish(DeviceTopics.shadowDelta(NODE_7), "{\"state\":{\"on\":true},\"version\":2,\"timestamp\":3}");
        assertThat(gateway.readLine(5)).isEqualTo("7;4;1;1;2;1");

        gateway.send("7;4;2;0;2;\n");
        assertThat(gateway.readLine(5)).isEqualTo("7;4;1;0;2;1");
        assertThat(binding.health().details().get("ms1").toString()).contains("unansweredRequests=1");
        assertThat(gateway.readLine(1)).isNull();
    }

    @Test
    void nodeIdRequestsGetFreeIdsThatStayTakenAfterARestart() throws Exception {
        gateway.send("255;255;3;0;3;\n");
        assertThat(gateway.readLine(5)).isEqualTo("255;255;3;0;4;1");
        gateway.send("255;255;3;0;3;\n");
        assertThat(gateway.readLine(5)).isEqualTo("255;255;3;0;4;2");

        gateway.close();
        hub.stopBinding();
        binding = hub.startBinding(gatewayConfig());
        gateway = new SimulatedDevice(socat.device);
        awaitConnected();
        gateway.send("255;255;3;0;3;\n");
        assertThat(gateway.readLine(5)).isEqualTo("255;255;3;0;4;3");
    }

    @Test
    void aBatteryReportAddsTheBatteryKeyAndRemovingTheNodeClearsItsRetainedTopics() throws Exception {
        binding.startPairing(Duration.ofMinutes(1));
        presentNode7();
        assertThat(hub.await(DeviceTopics.info(NODE_7), text -> !text.isEmpty())).isNotNull();

        gateway.send("7;255;3;0;0;87\n");
        assertThat(hub.await(DeviceTopics.shadowUpdate(NODE_7), reports("battery", 87))).isNotNull();
        assertThat(hub.await(DeviceTopics.info(NODE_7), text -> text.contains("\"battery\""))).isNotNull();

        binding.remove(NODE_7);
        assertThat(hub.await(DeviceTopics.info(NODE_7), String::isEmpty)).isNotNull();
        assertThat(hub.await(DeviceTopics.availability(NODE_7), String::isEmpty)).isNotNull();
        hub.forget();
        gateway.send("7;1;1;0;0;25.0\n");
        Thread.sleep(300);
        assertThat(hub.payloads(DeviceTopics.shadowUpdate(NODE_7))).isEmpty();
    }

    @Test
    void aNodeSilentForTheConfiguredTimeGoesOfflineAndComesBackWithItsNextHeartbeat() throws Exception {
        MovableClock clock = new MovableClock();
        gateway.close();
        hub.stopBinding();
        binding = hub.startBinding(clock, new SerialGateway("ms1", SerialGateway.Protocol.MYSENSORS,
                socat.hub.toString(), null, null, null, null, null, null, 30));
        gateway = new SimulatedDevice(socat.device);
        awaitConnected();
        binding.startPairing(Duration.ofMinutes(5));
        presentNode7();
        assertThat(hub.await(DeviceTopics.info(NODE_7), text -> !text.isEmpty())).isNotNull();
        gateway.send("7;1;1;0;0;21.0\n");
        // The report shows the node's last word was heard before the clock moves.
        assertThat(hub.await(DeviceTopics.shadowUpdate(NODE_7), reports("temperature", 21.0))).isNotNull();
        assertThat(hub.await(DeviceTopics.availability(NODE_7), DeviceTopics.ONLINE::equals)).isNotNull();
        hub.forget();

        clock.advance(Duration.ofMinutes(29));
        Thread.sleep(1500); // the gateway looks for silent nodes every second
        assertThat(hub.payloads(DeviceTopics.availability(NODE_7))).isEmpty();

        clock.advance(Duration.ofMinutes(1));
        assertThat(hub.await(DeviceTopics.availability(NODE_7), DeviceTopics.OFFLINE::equals)).isNotNull();
        assertThat(binding.health().details().get("ms1").toString()).contains("silentNodes=1");

        gateway.send("7;255;3;0;22;1234\n"); // a heartbeat
        assertThat(hub.await(DeviceTopics.availability(NODE_7), DeviceTopics.ONLINE::equals)).isNotNull();
    }

    @Test
    void aNodeWithNothingHearthCanUseIsListedAsFailedWithTheReason() throws Exception {
        binding.startPairing(Duration.ofMinutes(1));
        // Node 9 presents only an RGB light (S_RGB_LIGHT, 26), which has no keys in the vocabulary.
        gateway.send("9;255;3;0;11;Mood light\n9;255;3;0;12;0.3\n9;1;0;0;26;\n");
        DeviceId node9 = DeviceId.mysensors("ms1", 9);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (binding.pairingStatus().failed().isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(binding.pairingStatus().failed()).singleElement().satisfies(failure -> {
            assertThat(failure.id()).isEqualTo(node9);
            assertThat(failure.reason()).contains("none of its sensors is a kind Hearth knows");
        });
        assertThat(binding.pairingStatus().joined()).isEmpty();
        assertThat(hub.payloads(DeviceTopics.info(node9))).isEmpty();
    }

    @Test
    void garbageAndHalfLinesAreCountedAndTheNextGoodLineStillCounts() throws Exception {
        binding.startPairing(Duration.ofMinutes(1));
        presentNode7();
        assertThat(hub.await(DeviceTopics.info(NODE_7), text -> !text.isEmpty())).isNotNull();

        gateway.send(new byte[] {(byte) 0xFF, (byte) 0xFE, 0, '\n'});
        gateway.send("7;1;1;0\n;;;;;;\n7;1;1;0;0;hot\n999;1;1;0;0;20\n" + "x".repeat(5000) + "\n7;1;");
        gateway.send("1;0;0;22.25\n");
        assertThat(hub.await(DeviceTopics.shadowUpdate(NODE_7), reports("temperature", 22.25))).isNotNull();
        String details = binding.health().details().get("ms1").toString();
        assertThat(details).contains("malformedLines=4", "badValues=1", "overlongLines=1");
    }
}
