package io.hearth.serial.dsmr;

import io.hearth.serial.Counters;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Finds telegrams in the byte stream of a P1 port: from {@code /} to {@code !}, then the four hex
 * digits of the CRC and a line end. A telegram whose CRC does not match, that is cut short by the
 * start of the next one, or that grows beyond {@link #MAX_TELEGRAM} bytes is dropped and counted.
 * DSMR 2 and 3 meters send no CRC (the line end follows {@code !} at once); their telegrams are
 * passed on and counted as unchecked. Not thread-safe; one per link.
 */
public final class DsmrFramer {

    /** Real telegrams stay under 2 KB even with a long power-failure log and a text message. */
    static final int MAX_TELEGRAM = 8192;

    private enum Phase { SEEKING, BODY, CHECKSUM }

    private final Counters counters;
    private final Consumer<String> telegrams;
    private final ByteArrayOutputStream body = new ByteArrayOutputStream();
    private final StringBuilder checksum = new StringBuilder();
    private Phase phase = Phase.SEEKING;

    /** @param telegrams receives each valid telegram's text from {@code /} to {@code !} */
    public DsmrFramer(Counters counters, Consumer<String> telegrams) {
        this.counters = counters;
        this.telegrams = telegrams;
    }

    public void accept(byte[] chunk) {
        for (byte b : chunk) {
            accept(b);
        }
    }

    private void accept(byte b) {
        if (b == '/') {
            if (phase != Phase.SEEKING) {
                counters.count("truncatedTelegrams");
            }
            body.reset();
            checksum.setLength(0);
            body.write(b);
            phase = Phase.BODY;
            return;
        }
        switch (phase) {
            case SEEKING -> {
                if (b != '\r' && b != '\n') {
                    counters.count("garbageBytes");
                }
            }
            case BODY -> {
                body.write(b);
                if (b == '!') {
                    phase = Phase.CHECKSUM;
                } else if (body.size() > MAX_TELEGRAM) {
                    counters.count("oversizeTelegrams");
                    body.reset();
                    phase = Phase.SEEKING;
                }
            }
            case CHECKSUM -> {
                if (b == '\n' || b == '\r') {
                    finish();
                } else if (checksum.length() < 4) {
                    checksum.append((char) (b & 0xFF));
                } else {
                    counters.count("corruptTelegrams");
                    phase = Phase.SEEKING;
                }
            }
        }
    }

    private void finish() {
        phase = Phase.SEEKING;
        byte[] telegram = body.toByteArray();
        if (checksum.length() == 0) {
            counters.count("uncheckedTelegrams");
        } else {
            String expected = String.format(Locale.ROOT, "%04X", Crc16.of(telegram, 0, telegram.length));
            if (!expected.equalsIgnoreCase(checksum.toString())) {
                counters.count("corruptTelegrams");
                return;
            }
        }
        counters.count("telegrams");
        telegrams.accept(new String(telegram, StandardCharsets.US_ASCII));
    }

    /** Forgets a telegram in progress, e.g. when the port was lost mid-way. */
    public void reset() {
        phase = Phase.SEEKING;
        body.reset();
        checksum.setLength(0);
    }
}
