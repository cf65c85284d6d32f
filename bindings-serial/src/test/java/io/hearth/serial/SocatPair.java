package io.hearth.serial;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Two linked pseudo-terminals made by socat, standing in for a USB serial adapter: the binding
 * opens {@link #hub}, a simulated device sits on {@link #device}. Stopping and restarting it is
 * unplugging and replugging the adapter.
 */
public final class SocatPair implements AutoCloseable {

    public final Path hub;
    public final Path device;
    private Process socat;

    private SocatPair(Path dir) {
        this.hub = dir.resolve("ttyHub");
        this.device = dir.resolve("ttyDevice");
    }

    /** Skips the calling test when socat is missing, unless {@code hearth.e2e.required} is true. */
    public static void requireSocat() {
        boolean installed = Files.isExecutable(Path.of("/usr/bin/socat")) || Files.isExecutable(Path.of("/bin/socat"));
        if (Boolean.getBoolean("hearth.e2e.required")) {
            assertThat(installed).as("socat installed").isTrue();
        }
        assumeTrue(installed, "socat not installed");
    }

    public static SocatPair start(Path dir) throws Exception {
        SocatPair pair = new SocatPair(dir);
        pair.plugIn();
        return pair;
    }

    public void plugIn() throws Exception {
        socat = new ProcessBuilder("socat", "-d", "-d",
                "pty,raw,echo=0,link=" + hub, "pty,raw,echo=0,link=" + device)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!(Files.exists(hub) && Files.exists(device))) {
            if (System.nanoTime() > deadline || !socat.isAlive()) {
                unplug();
                throw new IOException("socat did not create " + hub + " and " + device);
            }
            Thread.sleep(10);
        }
    }

    /** Stops socat (the process this pair started) and waits until its links are gone. */
    public void unplug() throws InterruptedException {
        Process running = socat;
        socat = null;
        if (running == null) {
            return;
        }
        running.destroy();
        if (!running.waitFor(5, TimeUnit.SECONDS)) {
            running.destroyForcibly();
            running.waitFor(5, TimeUnit.SECONDS);
        }
        // socat removes its links on a clean exit; after a forced one they would dangle.
        try {
            Files.deleteIfExists(hub);
            Files.deleteIfExists(device);
        } catch (IOException ignored) {
            // nothing left to clean
        }
    }

    @Override
    public void close() throws InterruptedException {
        unplug();
    }
}
