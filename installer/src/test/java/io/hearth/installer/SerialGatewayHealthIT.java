package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hearth.core.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A serial gateway's health as a supervisor sees it in {@code /api/v1/health} of the packaged hub:
 * up while its adapter is there, down with what to do while it is unplugged, up again once it is
 * back, and the hub serving all along. The adapter is a socat pseudo-terminal pair.
 */
class SerialGatewayHealthIT {

    @TempDir
    Path dir;

    private HubProcesses hubs;
    private Process socat;

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (hubs != null) {
            hubs.close();
        }
        unplug();
    }

    @Test
    void aGatewaysHealthFollowsItsAdapterBeingUnpluggedAndPluggedInAgain() throws Exception {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/socat")) || Files.isExecutable(Path.of("/bin/socat"));
        if (Boolean.getBoolean("hearth.e2e.required")) {
            assertThat(installed).as("socat installed").isTrue();
        }
        assumeTrue(installed, "socat not installed");
        Path adapter = dir.resolve("ttyGateway");
        plugIn(adapter);
        int http = FreePorts.next();
        hubs = new HubProcesses(dir);
        hubs.start(dir.resolve("data"), http, FreePorts.next(), Map.of("HEARTH_SERIAL_GATEWAYS",
                "[{id: ms1, protocol: mysensors, port: " + adapter + "}]", "HEARTH_ZIGBEE_DONGLE", "none"));
        HealthProbe probe = new HealthProbe(http);

        JsonNode up = probe.await(a -> serial(a).path("status").asText().equals("UP"), Duration.ofSeconds(10)).body();
        assertThat(up.path("status").asText()).isEqualTo("UP");
        assertThat(serial(up).path("details").path("ms1").path("port").asText()).isEqualTo(adapter.toString());
        assertThat(serial(up).path("details").path("ms1").path("state").asText()).isEqualTo("connected");

        unplug();
        HealthProbe.Answer down = probe.await(a -> serial(a).path("status").asText().equals("DOWN"), Duration.ofSeconds(10));
        assertThat(down.status()).as("the hub serves on without the gateway").isEqualTo(200);
        assertThat(down.body().path("status").asText()).isEqualTo("DEGRADED");
        assertThat(serial(down).path("message").asText()).contains("ms1 (" + adapter + ") is not connected")
                .contains("check the adapter is plugged in");
        assertThat(serial(down).path("details").path("ms1").path("lastError").asText()).isNotEmpty();

        plugIn(adapter);
        JsonNode back = probe.await(a -> serial(a).path("status").asText().equals("UP"), Duration.ofSeconds(15)).body();
        assertThat(back.path("status").asText()).isEqualTo("UP");
        assertThat(serial(back).path("details").path("ms1").path("reconnects").asInt()).isEqualTo(1);
    }

    private static JsonNode serial(HealthProbe.Answer answer) {
        return serial(answer.body());
    }

    private static JsonNode serial(JsonNode health) {
        return health.path("components").path("serial");
    }

    private void plugIn(Path adapter) throws Exception {
        Path device = dir.resolve("ttyDevice");
        socat = new ProcessBuilder("socat", "pty,raw,echo=0,link=" + adapter, "pty,raw,echo=0,link=" + device)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!Files.exists(adapter) || !Files.exists(device)) {
            if (System.nanoTime() > deadline || !socat.isAlive()) {
                throw new IOException("socat did not create " + adapter);
            }
            Thread.sleep(10);
        }
    }

    /** Stops the socat this test started; its links go with it. */
    private void unplug() throws InterruptedException {
        Process running = socat;
        socat = null;
        if (running != null) {
            running.destroy();
            if (!running.waitFor(5, TimeUnit.SECONDS)) {
                running.destroyForcibly();
                running.waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}
