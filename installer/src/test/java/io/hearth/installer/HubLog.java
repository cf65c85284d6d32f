package io.hearth.installer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/**
 * A hub's console output captured in a file. Health turns 200 a moment before the hub prints where
 * to go next, so a test waits for a line rather than reading the file once.
 */
final class HubLog {

    private HubLog() {
    }

    /** The whole log once it contains {@code line}; fails after {@code timeout}. */
    static String awaitLine(Path log, String line, Duration timeout) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        String text = Files.exists(log) ? Files.readString(log) : "";
        while (!text.contains(line)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("the hub never printed \"" + line + "\"; its output:\n" + text);
            }
            Thread.sleep(50);
            text = Files.exists(log) ? Files.readString(log) : "";
        }
        return text;
    }
}
