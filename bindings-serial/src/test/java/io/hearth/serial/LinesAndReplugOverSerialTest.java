package io.hearth.serial;

import static io.hearth.serial.TestHub.json;
import static io.hearth.serial.TestHub.reports;
import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.config.LineMapping;
import io.hearth.core.config.SerialGateway;
import io.hearth.core.device.DeviceId;
import io.hearth.core.device.DeviceTopics;
import io.hearth.core.lifecycle.HealthStatus;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A hobby sensor printing lines on the far end of a pseudo-terminal pair, including being unplugged. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class LinesAndReplugOverSerialTest {

    private static final DeviceId GARDEN = DeviceId.of("garden-sensor");

    @TempDir
    Path dir;
    private SocatPair socat;
    private TestHub hub;
    private SimulatedDevice sensor;
    private SerialBinding binding;

    @BeforeEach
    void plugInTheSensor() throws Exception {
        SocatPair.requireSocat();
        socat = SocatPair.start(dir);
        hub = new TestHub(dir.resolve("data"));
        LineMapping mapping = new LineMapping(null, "T=(?<t>-?[0-9.]+);H=(?<humidity>[0-9.]+)",
                Map.of("t", "temperature"), "garden-sensor", "Garden sensor");
        binding = hub.startBinding(new SerialGateway("garden", SerialGateway.Protocol.LINES, socat.hub.toString(),
                9600, null, null, null, null, mapping));
        awaitHealth(HealthStatus.UP);
        sensor = new SimulatedDevice(socat.device);
    }

    private void awaitHealth(HealthStatus status) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (binding.health().status() != status && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        assertThat(binding.health().status()).isEqualTo(status);
    }

    @AfterEach
    void unplug() throws Exception {
        if (sensor != null) {
            sensor.close();
        }
        if (hub != null) {
            hub.close();
        }
        if (socat != null) {
            socat.close();
        }
    }

    @Test
    void eachMatchingLineIsReportedAndOtherLinesAreCounted() throws Exception {
        sensor.send("booting v1.3\r\nT=21.5;H=40\r\nT=oops;H=1\r\n");
        String info = hub.await(DeviceTopics.info(GARDEN), text -> !text.isEmpty());
        assertThat(json(info).path("name").asText()).isEqualTo("Garden sensor");
        assertThat(json(info).path("capabilities").size()).isEqualTo(2);
        assertThat(hub.await(DeviceTopics.shadowUpdate(GARDEN), reports("temperature", 21.5))).isNotNull();
        Thread.sleep(200);
        assertThat(binding.health().details().get("garden").toString()).contains("unmatchedLines=2", "lines=1");
    }

    @Test
    void unpluggingAndRepluggingTheAdapterRecoversByItself() throws Exception {
        sensor.send("T=20.0;H=50\n");
        assertThat(hub.await(DeviceTopics.shadowUpdate(GARDEN), reports("temperature", 20.0))).isNotNull();

        sensor.close();
        socat.unplug();
        awaitHealth(HealthStatus.DOWN);
        assertThat(binding.health().message()).contains("garden");
        assertThat(hub.await(DeviceTopics.availability(GARDEN), DeviceTopics.OFFLINE::equals)).isNotNull();
        Thread.sleep(600); // a few failed attempts to reopen, with backoff

        socat.plugIn();
        awaitHealth(HealthStatus.UP);
        sensor = new SimulatedDevice(socat.device);
        sensor.send("T=23.0;H=50\n");
        assertThat(hub.await(DeviceTopics.shadowUpdate(GARDEN), reports("temperature", 23.0))).isNotNull();
        assertThat(binding.health().details().get("garden").toString()).contains("reconnects=1");
        assertThat(hub.payloads(DeviceTopics.availability(GARDEN))).containsSubsequence("online", "offline", "online");
    }
}
