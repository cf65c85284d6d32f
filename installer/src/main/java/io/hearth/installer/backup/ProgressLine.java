package io.hearth.installer.backup;

import java.io.PrintStream;
import java.util.Locale;

/**
 * One line on a terminal that a long step keeps rewriting ("Writing the backup… 42 % of 18.2 MB"),
 * so the user sees it move. Off the terminal (a pipe, a log, cron) it prints nothing: only the
 * command's final summary reaches those.
 */
final class ProgressLine implements BackupArchive.Progress {

    private static final long EVERY_NANOS = 100_000_000L;

    private final PrintStream terminal;
    private final String what;
    private final long total;
    private long done;
    private long lastShown;
    private boolean shown;

    /** @param terminal where to draw, or null when not on a terminal */
    ProgressLine(PrintStream terminal, String what, long total) {
        this.terminal = terminal;
        this.what = what;
        this.total = total;
    }

    /** Standard error when the command runs on a terminal, else null. */
    static PrintStream terminalOrNull(PrintStream err) {
        java.io.Console console = System.console();
        if (console == null) {
            return null;
        }
        try {
            // Java 22 and newer give a console even off a terminal, and tell which by isTerminal().
            Object terminal = java.io.Console.class.getMethod("isTerminal").invoke(console);
            return Boolean.TRUE.equals(terminal) ? err : null;
        } catch (ReflectiveOperationException olderJava) {
            return err;
        }
    }

    @Override
    public void advanced(long bytes) {
        done += bytes;
        long now = System.nanoTime();
        if (terminal != null && now - lastShown > EVERY_NANOS) {
            lastShown = now;
            show();
        }
    }

    /** For steps whose size is only known as they go, such as a copy the hub is writing. */
    void at(long bytes) {
        advanced(bytes - done);
    }

    private void show() {
        String amount = total > 0
                ? String.format(Locale.ROOT, "%d %% of %s", Math.min(100, done * 100 / total), megabytes(total))
                : megabytes(done);
        terminal.print("\r" + what + "… " + amount + "   ");
        terminal.flush();
        shown = true;
    }

    /** Clears the line, so the summary that follows stands alone. */
    void finish() {
        if (terminal != null && shown) {
            terminal.print("\r" + " ".repeat(what.length() + 30) + "\r");
            terminal.flush();
        }
    }

    static String megabytes(long bytes) {
        return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
    }
}
