package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code hearth <command>} from the built jar as its own process, as a homeowner's shell would. */
final class HearthCli {

    /** What the command printed and how it ended. */
    record Result(int exit, String out, String err) {
    }

    private HearthCli() {
    }

    static Result run(String stdin, String... args) throws IOException, InterruptedException {
        List<String> line = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-jar", System.getProperty("hearthtest.jar", "target/hearth.jar")));
        line.addAll(List.of(args));
        return exec(line, stdin);
    }

    static Result exec(List<String> line, String stdin) throws IOException, InterruptedException {
        return exec(new ProcessBuilder(line), stdin);
    }

    static Result exec(ProcessBuilder builder, String stdin) throws IOException, InterruptedException {
        Path out = Files.createTempFile("hearth-out", ".txt");
        Path err = Files.createTempFile("hearth-err", ".txt");
        try {
            builder.redirectOutput(out.toFile()).redirectError(err.toFile());
            builder.environment().keySet().removeIf(name -> name.startsWith("HEARTH_"));
            Process process = builder.start();
            process.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            process.getOutputStream().close();
            assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("finished: " + builder.command()).isTrue();
            return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }
}
