package io.hearth.serial;

import static io.hearth.serial.TestHub.json;
import static io.hearth.serial.TestHub.reports;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.core.config.SerialGateway;
import io.hearth.core.device.DeviceId;
import io.hearth.core.device.DeviceTopics;
import io.hearth.core.lifecycle.HealthStatus;
import io.hearth.serial.dsmr.Telegrams;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A P1 smart meter simulated on the far end of a pseudo-terminal pair. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DsmrOverSerialTest {

    private static final DeviceId METER = DeviceId.dsmr("meter");

    @TempDir
    Path dir;
    private SocatPair socat;
    private TestHub hub;
    private SimulatedDevice meter;
    private SerialBinding binding;

    @BeforeEach
    void plugInTheMeter() throws Exception {
        SocatPair.requireSocat();
        socat = SocatPair.start(dir);
        hub = new TestHub(dir.resolve("data"));
        binding = hub.startBinding(new SerialGateway("meter", SerialGateway.Protocol.DSMR, socat.hub.toString(),
                null, null, null, null, null));
        meter = new SimulatedDevice(socat.device);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (binding.health().status() != HealthStatus.UP && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }

    @AfterEach
    void unplug() throws Exception {
        if (meter != null) {
            meter.close();
        }
        if (hub != null) {
            hub.close();
        }
        if (socat != null) {
            socat.close();
        }
    }

    @Test
    void aValidTelegramDescribesTheMeterAndReportsItsReadings() throws Exception {
        meter.send(Telegrams.THREE_PHASE);

        String info = hub.await(DeviceTopics.info(METER), text -> !text.isEmpty());
        assertThat(info).isNotNull();
        List<String> keys = new ArrayList<>();
        json(info).path("capabilities").forEach(c -> keys.add(c.path("key").asText()));
        assertThat(keys).containsExactly("energy", "energy_2", "energy_3", "energy_4", "power",
                "voltage", "voltage_2", "voltage_3", "current", "current_2", "current_3", "gas");
        String update = hub.await(DeviceTopics.shadowUpdate(METER), reports("energy", 4512.331));
        assertThat(update).isNotNull();
        JsonNode reported = json(update).path("state").path("reported");
        assertThat(reported.path("power").asDouble()).isEqualTo(1193.0);
        assertThat(reported.path("voltage_3").asDouble()).isEqualTo(230.1);
        assertThat(hub.await(DeviceTopics.availability(METER), DeviceTopics.ONLINE::equals)).isNotNull();
        assertThat(reported.path("gas").asDouble()).isEqualTo(2871.644);
    }

    @Test
    void aCorruptTelegramIsDroppedAndCountedAndTheNextGoodOneIsReported() throws Exception {
        meter.send(Telegrams.CORRUPT);
        meter.send(Telegrams.THREE_PHASE.replace("01.193*kW", "00.250*kW").replace("399B", crcOfPowerChange()));
        assertThat(hub.await(DeviceTopics.shadowUpdate(METER), reports("power", 250.0))).isNotNull();
        assertThat(hub.payloads(DeviceTopics.shadowUpdate(METER))).noneMatch(text -> text.contains("4512.381"));
        @SuppressWarnings("unchecked")
        Map<String, Object> details = (Map<String, Object>) binding.health().details().get("meter");
        assertThat(details).containsEntry("corruptTelegrams", 1L).containsEntry("telegrams", 1L);
    }

    private static String crcOfPowerChange() {
        byte[] body = Telegrams.THREE_PHASE_BODY.replace("01.193*kW", "00.250*kW")
                .getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        return String.format("%04X", io.hearth.serial.dsmr.Crc16.of(body, 0, body.length));
    }
}
