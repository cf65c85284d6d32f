package io.hearth.serial.link;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Cuts a byte stream into text lines ending in LF (a CR before it is dropped). A line longer than
 * {@code maxLength} is noise or a lost line end: it is skipped up to the next LF and counted, so
 * a babbling device cannot make the hub buffer without bound. Not thread-safe; one per link.
 */
public final class LineSplitter {

    private final int maxLength;
    private final Consumer<String> lines;
    private final ByteArrayOutputStream current = new ByteArrayOutputStream();
    private boolean skipping;
    /** Written by the reader thread only; read by health checks. */
    private volatile long overlong;

    public LineSplitter(int maxLength, Consumer<String> lines) {
        this.maxLength = maxLength;
        this.lines = lines;
    }

    public void accept(byte[] chunk) {
        for (byte b : chunk) {
            if (b == '\n') {
                if (!skipping) {
                    byte[] line = current.toByteArray();
                    int length = line.length > 0 && line[line.length - 1] == '\r' ? line.length - 1 : line.length;
                    // Invalid UTF-8 becomes U+FFFD rather than an exception: the codec then refuses the line.
                    lines.accept(new String(line, 0, length, StandardCharsets.UTF_8));
                }
                current.reset();
                skipping = false;
            } else if (!skipping) {
                current.write(b);
                if (current.size() > maxLength) {
                    overlong = overlong + 1;
                    current.reset();
                    skipping = true;
                }
            }
        }
    }

    /** Drops a half line, e.g. after the port was lost: its rest will never come. */
    public void reset() {
        current.reset();
        skipping = false;
    }

    public long overlong() {
        return overlong;
    }
}
