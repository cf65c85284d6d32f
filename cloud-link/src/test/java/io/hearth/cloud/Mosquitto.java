package io.hearth.cloud;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.hearth.core.testing.FreePorts;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Debian's Mosquitto as the cloud: started on free loopback ports with a generated configuration,
 * stoppable and restartable on the same ports (its persistence keeps sessions over a restart).
 */
final class Mosquitto implements AutoCloseable {

    static final Path BINARY = Path.of("/usr/sbin/mosquitto");
    static final Path PASSWD = Path.of("/usr/bin/mosquitto_passwd");

    final Path dir;
    /** The plain listener, for the test's remote app (and the hub unless a test says otherwise). */
    final int port;
    private final Path config;
    private final List<Integer> ports;
    private Process process;

    private Mosquitto(Path dir, int port, List<String> extraLines, List<Integer> ports) throws Exception {
        this.dir = dir;
        this.port = port;
        this.ports = ports;
        List<String> lines = new ArrayList<>(List.of(
                // Run as whoever runs the test, so it can read the test's private files.
                "user " + System.getProperty("user.name"),
                "per_listener_settings false",
                "persistence true",
                "persistence_location " + dir + "/",
                "max_queued_messages 100000",
                "log_type error",
                "log_type warning",
                "log_type notice"));
        lines.addAll(extraLines);
        lines.add("listener " + port + " 127.0.0.1");
        config = Files.write(dir.resolve("mosquitto.conf"), lines);
        start();
    }

    /** Skips the calling test when Mosquitto is missing, unless {@code hearth.e2e.required} is true. */
    static void assumeInstalled() {
        boolean installed = Files.isExecutable(BINARY);
        if (Boolean.getBoolean("hearth.e2e.required")) {
            assertThat(installed).as("mosquitto installed at " + BINARY).isTrue();
        }
        assumeTrue(installed, "mosquitto not installed");
    }

    /** Anonymous clients allowed. */
    static Mosquitto open(Path dir) throws Exception {
        return open(dir, List.of("allow_anonymous true"));
    }

    /** With these configuration lines before the plain listener (listeners of their own go here too). */
    static Mosquitto open(Path dir, List<String> lines, int... extraPorts) throws Exception {
        return openOn(FreePorts.next(), dir, lines, extraPorts);
    }

    /** Anonymous clients allowed, on a port chosen beforehand. */
    static Mosquitto openOn(int port, Path dir, List<String> lines, int... extraPorts) throws Exception {
        List<Integer> ports = new ArrayList<>(List.of(port));
        for (int extra : extraPorts) {
            ports.add(extra);
        }
        return new Mosquitto(dir, port, lines, ports);
    }

    /** A password file with one user, made by mosquitto_passwd. */
    static Path passwordFile(Path dir, String user, String password) throws Exception {
        Path file = dir.resolve("passwords");
        Process passwd = new ProcessBuilder(PASSWD.toString(), "-c", "-b", file.toString(), user, password)
                .redirectErrorStream(true).start();
        assertThat(passwd.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(passwd.exitValue()).as(new String(passwd.getInputStream().readAllBytes())).isZero();
        return file;
    }

    void start() throws Exception {
        process = new ProcessBuilder(BINARY.toString(), "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("mosquitto.log").toFile())).start();
        for (int listening : ports) {
            awaitListening(listening);
        }
    }

    /** Stops the process (SIGTERM, so it saves its sessions) and waits until it is gone. */
    void stop() throws InterruptedException {
        if (process != null && process.isAlive()) {
            process.destroy();
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }

    String url() {
        return "tcp://127.0.0.1:" + port;
    }

    String log() {
        try {
            return Files.readString(dir.resolve("mosquitto.log"));
        } catch (IOException e) {
            return "(no log)";
        }
    }

    @Override
    public void close() {
        try {
            stop();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void awaitListening(int listening) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("mosquitto running; log: %s", log()).isTrue();
            try (Socket probe = new Socket()) {
                probe.connect(new InetSocketAddress("127.0.0.1", listening), 200);
                return;
            } catch (IOException e) {
                Thread.sleep(20);
            }
        }
        throw new AssertionError("mosquitto did not listen on " + listening + "; log: " + log());
    }
}
