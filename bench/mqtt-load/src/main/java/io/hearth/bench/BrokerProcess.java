package io.hearth.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Reads a broker process's memory from outside: resident set from /proc, Java heap through jcmd. */
final class BrokerProcess {

    // Serial and parallel collectors print "... generation total NK, used NK"; G1 prints "... heap total NK, used NK".
    private static final Pattern HEAP_USED = Pattern.compile("(?:generation|heap)\\s+total \\d+K, used (\\d+)K");
    private static final Pattern RSS = Pattern.compile("(?m)^VmRSS:\\s+(\\d+) kB");

    private final long pid;

    BrokerProcess(long pid) {
        this.pid = pid;
    }

    boolean isJava() throws IOException {
        return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).trim().equals("java");
    }

    long rssBytes() throws IOException {
        Matcher m = RSS.matcher(Files.readString(Path.of("/proc", Long.toString(pid), "status")));
        if (!m.find()) {
            throw new IOException("no VmRSS for process " + pid);
        }
        return Long.parseLong(m.group(1)) * 1024;
    }

    /** Heap in use after a full collection, so the figure is live data rather than garbage awaiting GC. */
    long javaHeapUsedAfterGc() throws IOException, InterruptedException {
        jcmd("GC.run");
        Matcher m = HEAP_USED.matcher(jcmd("GC.heap_info"));
        long kib = 0;
        boolean found = false;
        while (m.find()) {
            kib += Long.parseLong(m.group(1));
            found = true;
        }
        if (!found) {
            throw new IOException("could not read the heap of process " + pid);
        }
        return kib * 1024;
    }

    private String jcmd(String command) throws IOException, InterruptedException {
        // Output goes to a file, not a pipe, so a hung jcmd cannot block us past the timeout.
        Path output = Files.createTempFile("jcmd", ".txt");
        try {
            Process process = new ProcessBuilder("jcmd", Long.toString(pid), command)
                    .redirectErrorStream(true).redirectOutput(output.toFile()).start();
            boolean done = process.waitFor(30, TimeUnit.SECONDS);
            if (!done) {
                process.destroyForcibly();
            }
            String text = Files.readString(output, StandardCharsets.UTF_8);
            if (!done || process.exitValue() != 0) {
                throw new IOException("jcmd " + pid + " " + command + " failed: " + text.strip());
            }
            return text;
        } finally {
            Files.deleteIfExists(output);
        }
    }
}
