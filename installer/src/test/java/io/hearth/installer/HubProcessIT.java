package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.testing.FreePorts;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the packaged hearth.jar as its own process, the way the launcher and the service do. */
class HubProcessIT {

    private static final Path JAR = Path.of(System.getProperty("hearthtest.jar", "target/hearth.jar"));

    @TempDir
    Path dir;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void endProcessesThisTestStarted() throws InterruptedException {
        for (Process process : processes) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    Process start(Path dataDir, int httpPort, Map<String, String> env, String... args) throws IOException {
        List<String> command = new ArrayList<>(List.of(javaBinary(), "-XX:+UseSerialGC", "-Xmx128m", "-jar",
                JAR.toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("--data-dir", dataDir.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectOutput(dir.resolve("out-" + processes.size() + ".log").toFile())
                .redirectError(dir.resolve("err-" + processes.size() + ".log").toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("HEARTH_"));
        builder.environment().put("HEARTH_HTTP_PORT", Integer.toString(httpPort));
        builder.environment().put("HEARTH_MQTT_PORT", "0");
        builder.environment().put("HEARTH_MQTT_TLS_PORT", "0");
        builder.environment().put("HEARTH_MQTT_WEBSOCKET_PORT", "0");
        builder.environment().putAll(env);
        Process process = builder.start();
        processes.add(process);
        return process;
    }

    private String stdout(int index) throws IOException {
        return Files.readString(dir.resolve("out-" + index + ".log"));
    }

    private String stderr(int index) throws IOException {
        return Files.readString(dir.resolve("err-" + index + ".log"));
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Test
    void sigtermStopsTheHubWithinFiveSecondsAndTheDatabaseSurvives() throws Exception {
        Path data = dir.resolve("data");
        int port = FreePorts.next();
        Path ready = dir.resolve("ready");
        Process hub = start(data, port, Map.of("HEARTH_READY_FILE", ready.toString()), "run");
        new HealthProbe(port).await(a -> a.status() == 200, Duration.ofSeconds(30));
        // The development launcher keeps a class-data archive only from a hub that said it was ready.
        for (int i = 0; i < 100 && !Files.exists(ready); i++) {
            Thread.sleep(100);
        }
        assertThat(ready).exists();

        long begin = System.nanoTime();
        hub.destroy(); // SIGTERM
        assertThat(hub.waitFor(5, TimeUnit.SECONDS)).as("stopped within 5 s").isTrue();
        long stopMillis = (System.nanoTime() - begin) / 1_000_000;
        assertThat(hub.exitValue()).isEqualTo(143);
        assertThat(stdout(0)).contains("Database closed").contains("Hearth stopped in");
        assertThat(TestPorts.isListening(port)).isFalse();
        assertThat(Files.readString(data.resolve("logs/hearth.log"))).contains("Hearth is ready").contains("Database closed");

        Process again = start(data, port, Map.of(), "run");
        new HealthProbe(port).await(a -> a.status() == 200, Duration.ofSeconds(30));
        // Every module's schema is listed in name order; each module that brings tables adds its own.
        assertThat(stdout(1)).doesNotContain("Migrated").contains("Database ready (schemas {").contains("broker=3").contains("core=1");
        again.destroy();
        assertThat(again.waitFor(5, TimeUnit.SECONDS)).isTrue();
        System.out.println("SIGTERM to exit: " + stopMillis + " ms");
    }

    @Test
    void aSecondHubOnTheSameDataDirIsRefusedAndTheFirstKeepsRunning() throws Exception {
        Path data = dir.resolve("data");
        int port = FreePorts.next();
        start(data, port, Map.of(), "run");
        HealthProbe probe = new HealthProbe(port);
        probe.await(a -> a.status() == 200, Duration.ofSeconds(30));

        Process second = start(data, FreePorts.next(), Map.of(), "run");
        assertThat(second.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(second.exitValue()).isEqualTo(1);
        assertThat(stderr(1).strip()).startsWith("hearth: The data directory " + data.toAbsolutePath())
                .contains("is in use by another Hearth hub (pid " + processes.get(0).pid())
                .doesNotContain("Exception").hasLineCount(1);
        assertThat(probe.health().status()).isEqualTo(200);
    }

    @Test
    void aKilledHubLeavesNoLockBehind() throws Exception {
        Path data = dir.resolve("data");
        int port = FreePorts.next();
        Process hub = start(data, port, Map.of(), "run");
        new HealthProbe(port).await(a -> a.status() == 200, Duration.ofSeconds(30));
        hub.destroyForcibly(); // kill -9
        hub.waitFor(10, TimeUnit.SECONDS);

        start(data, port, Map.of(), "run");
        HealthProbe.Answer answer = new HealthProbe(port).await(a -> a.status() == 200, Duration.ofSeconds(30));
        assertThat(answer.body().path("components").path("store").path("status").asText()).isEqualTo("UP");
    }

    @Test
    void aConfigurationErrorStopsTheStartNamingTheKeyAndTouchesNothing() throws Exception {
        Path data = dir.resolve("data");
        Process hub = start(data, FreePorts.next(), Map.of("HEARTH_ZIGBEE_DONGLE", "cc2531"), "run");
        assertThat(hub.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(hub.exitValue()).isEqualTo(2);
        assertThat(stderr(0).strip()).isEqualTo("hearth: configuration error: hearth.zigbee.dongle: \"cc2531\" is not one of "
                + "simulated, ember, znp, telegesis, xbee, conbee, none (from HEARTH_ZIGBEE_DONGLE)");
        assertThat(data).doesNotExist();
    }

    @Test
    void versionPrintsTheVersion() throws Exception {
        Process version = start(dir.resolve("data"), FreePorts.next(), Map.of(), "version");
        assertThat(version.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(version.exitValue()).isZero();
        assertThat(stdout(0).strip()).matches("Hearth \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }
}
