package io.hearth.installer;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Hubs started from the built jar as separate processes (anonymous MQTT on, TLS and WebSocket off),
 * so a test can kill one with SIGKILL and start another on the same data dir. Closing kills any
 * still running.
 */
final class HubProcesses implements AutoCloseable {

    private final Path logDir;
    private final List<Process> hubs = new ArrayList<>();

    HubProcesses(Path logDir) {
        this.logDir = logDir;
    }

    /** Starts a hub and waits until its health answers 200. */
    Process start(Path data, int httpPort, int mqttPort) throws Exception {
        return start(data, httpPort, mqttPort, Map.of());
    }

    /** Starts a hub with more settings ({@code HEARTH_*} variables) and waits until its health answers 200. */
    Process start(Path data, int httpPort, int mqttPort, Map<String, String> settings) throws Exception {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:+UseSerialGC", "-Xmx128m", "-jar", System.getProperty("hearthtest.jar", "target/hearth.jar"),
                "run", "--data-dir", data.toString())
                .redirectOutput(logDir.resolve("hub-" + hubs.size() + ".log").toFile())
                .redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("HEARTH_"));
        builder.environment().putAll(Map.of("HEARTH_HTTP_PORT", Integer.toString(httpPort),
                "HEARTH_MQTT_PORT", Integer.toString(mqttPort), "HEARTH_MQTT_TLS_PORT", "0",
                "HEARTH_MQTT_WEBSOCKET_PORT", "0", "HEARTH_MQTT_ALLOW_ANONYMOUS", "true"));
        builder.environment().putAll(settings);
        Process hub = builder.start();
        hubs.add(hub);
        new HealthProbe(httpPort).await(a -> a.status() == 200, Duration.ofSeconds(30));
        return hub;
    }

    /** SIGTERM, as a service manager stops it: the hub closes everything in order. */
    static void stop(Process hub) throws InterruptedException {
        hub.destroy();
        if (!hub.waitFor(20, TimeUnit.SECONDS)) {
            hub.destroyForcibly();
            throw new AssertionError("the hub did not stop within 20 s of SIGTERM");
        }
    }

    /** SIGKILL: no shutdown hook runs, nothing is flushed. */
    static void kill(Process hub) throws InterruptedException {
        hub.destroyForcibly();
        hub.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        try {
            for (Process hub : hubs) {
                kill(hub);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
