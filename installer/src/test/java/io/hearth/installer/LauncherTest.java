package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The repository's {@code ./hearth} launcher, run by bash against a small copy of the source tree
 * with stand-ins for {@code mvn} and {@code java} that record how they were called.
 */
class LauncherTest {

    private static final Instant OLD = Instant.parse("2026-01-01T00:00:00Z");
    private static final Instant NEWER = Instant.parse("2026-02-01T00:00:00Z");
    private static final Instant NEWEST = Instant.parse("2026-03-01T00:00:00Z");

    @TempDir
    Path root;

    private Path calls;
    private Path jar;
    private Path source;

    @BeforeEach
    void aSourceTree() throws IOException {
        Files.copy(Path.of("..", "hearth"), root.resolve("hearth"));
        Files.createDirectories(root.resolve("installer/src/main/dist"));
        Files.copy(Path.of("src/main/dist/jvm.options"), root.resolve("installer/src/main/dist/jvm.options"));
        source = write("hub-core/src/main/java/A.java", "class A {}");
        write("pom.xml", "<project/>");
        jar = root.resolve("installer/target/hearth.jar");
        calls = root.resolve("calls.log");
        executable("bin/mvn", """
                #!/bin/bash
                echo "mvn $*" >> "$CALLS"
                [[ -n "${FAIL_BUILD:-}" ]] && { echo "compilation failed"; exit 1; }
                mkdir -p installer/target && echo jar > installer/target/hearth.jar
                """);
        executable("bin/java", """
                #!/bin/bash
                if [[ "$1" == -version ]]; then echo "openjdk version \\"${JAVA_MAJOR:-17}.0.9\\" 2023-10-17" >&2; exit 0; fi
                echo "java $*" >> "$CALLS"
                for arg in "$@"; do
                  [[ "$arg" == -XX:ArchiveClassesAtExit=* ]] && echo archive > "${arg#*=}"
                done
                [[ -n "${HEARTH_READY_FILE:-}" && -z "${NEVER_READY:-}" ]] && : > "$HEARTH_READY_FILE"
                exit "${EXIT_WITH:-0}"
                """);
        Files.setLastModifiedTime(source, FileTime.from(OLD));
        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(OLD));
        Files.setLastModifiedTime(root.resolve("installer/src/main/dist/jvm.options"), FileTime.from(OLD));
    }

    private Path write(String relative, String text) throws IOException {
        Path file = root.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private void executable(String relative, String text) throws IOException {
        Files.setPosixFilePermissions(write(relative, text), PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    private void jarBuiltAt(Instant when) throws IOException {
        Files.createDirectories(jar.getParent());
        Files.writeString(jar, "jar");
        Files.setLastModifiedTime(jar, FileTime.from(when));
    }

    private record Run(int exit, String stderr, List<String> calls) {
    }

    private Run launch(Map<String, String> env, String... args) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of("bash", root.resolve("hearth").toString()));
        command.addAll(List.of(args));
        Path err = root.resolve("stderr.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(root.toFile())
                .redirectError(err.toFile()).redirectOutput(root.resolve("stdout.log").toFile());
        builder.environment().remove("JAVA_HOME");
        builder.environment().keySet().removeIf(name -> name.startsWith("HEARTH_"));
        builder.environment().put("PATH", root.resolve("bin") + ":/usr/bin:/bin");
        builder.environment().put("CALLS", calls.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        List<String> recorded = Files.exists(calls) ? Files.readAllLines(calls) : List.of();
        Files.deleteIfExists(calls);
        return new Run(process.exitValue(), Files.readString(err), recorded);
    }

    @Test
    void aMissingJarIsBuiltFirst() throws Exception {
        Run run = launch(Map.of(), "version");
        assertThat(run.exit()).isZero();
        assertThat(run.calls()).hasSize(2);
        assertThat(run.calls().get(0)).isEqualTo("mvn -q -B -DskipTests install");
        assertThat(run.calls().get(1)).startsWith("java -XX:+UseG1GC").endsWith("-jar " + jar + " version");
        assertThat(run.stderr()).contains("Building Hearth").contains("Built in");
    }

    @Test
    void anUpToDateJarStartsWithoutABuild() throws Exception {
        jarBuiltAt(NEWER);
        assertThat(launch(Map.of(), "version").calls()).singleElement().asString().startsWith("java ");
    }

    @Test
    void aChangedSourceFileTriggersARebuildOnce() throws Exception {
        jarBuiltAt(NEWER);
        Files.setLastModifiedTime(source, FileTime.from(NEWEST));
        assertThat(launch(Map.of(), "version").calls()).first().asString().startsWith("mvn ");
        assertThat(launch(Map.of(), "version").calls()).singleElement().asString().startsWith("java ");
    }

    @Test
    void aChangedPomTriggersARebuild() throws Exception {
        jarBuiltAt(NEWER);
        Files.setLastModifiedTime(root.resolve("pom.xml"), FileTime.from(NEWEST));
        assertThat(launch(Map.of(), "version").calls()).first().asString().startsWith("mvn ");
    }

    @Test
    void newerFilesOutsideTheSourcesDoNotTriggerABuild() throws Exception {
        jarBuiltAt(NEWER);
        Files.setLastModifiedTime(write("data/hearth.mv.db", "db"), FileTime.from(NEWEST));
        Files.setLastModifiedTime(write("hub-core/target/classes/A.class", "x"), FileTime.from(NEWEST));
        Files.setLastModifiedTime(write("README.md", "x"), FileTime.from(NEWEST));
        assertThat(launch(Map.of(), "version").calls()).singleElement().asString().startsWith("java ");
    }

    @Test
    void aFailedBuildIsReportedAndNothingStarts() throws Exception {
        Run run = launch(Map.of("FAIL_BUILD", "1"), "run");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.calls()).containsExactly("mvn -q -B -DskipTests install");
        assertThat(run.stderr()).contains("compilation failed").contains("hearth: the build failed");
    }

    @Test
    void anOldJavaIsRefusedWithWhatToDo() throws Exception {
        jarBuiltAt(NEWER);
        Run run = launch(Map.of("JAVA_MAJOR", "11"), "run");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.stderr()).contains("Hearth needs Java 17 or newer");
        assertThat(run.calls()).isEmpty();
    }

    @Test
    void runRecordsAClassDataArchiveOnceAndThenUsesIt() throws Exception {
        jarBuiltAt(NEWER);
        String first = launch(Map.of(), "run", "--data-dir", "d").calls().get(0);
        assertThat(first).contains("-XX:ArchiveClassesAtExit=").endsWith("-jar " + jar + " run --data-dir d");
        String second = launch(Map.of(), "--data-dir", "d").calls().get(0);
        assertThat(second).contains("-XX:SharedArchiveFile=").doesNotContain("ArchiveClassesAtExit");
        // A new build makes the archive stale: it is recorded again.
        jarBuiltAt(Instant.now().plusSeconds(60));
        assertThat(launch(Map.of(), "run").calls().get(0)).contains("-XX:ArchiveClassesAtExit=");
    }

    /** 2: the hub failed to start; 143: it was stopped while starting. Neither became ready. */
    @ParameterizedTest
    @ValueSource(ints = {2, 143})
    void aHubThatNeverBecameReadyDoesNotLeaveAnArchiveBehind(int exit) throws Exception {
        jarBuiltAt(NEWER);
        Run unready = launch(Map.of("EXIT_WITH", Integer.toString(exit), "NEVER_READY", "1"), "run");
        assertThat(unready.exit()).isEqualTo(exit);
        assertThat(launch(Map.of(), "run").calls().get(0)).contains("-XX:ArchiveClassesAtExit=");
        assertThat(launch(Map.of(), "run").calls().get(0)).contains("-XX:SharedArchiveFile=");
        try (var left = Files.list(jar.getParent())) {
            assertThat(left.map(Path::toString)).noneMatch(name -> name.endsWith(".ready"));
        }
    }

    @Test
    void anOptionWithoutItsValueReachesTheHubInsteadOfHanging() throws Exception {
        jarBuiltAt(NEWER);
        Run run = launch(Map.of(), "--data-dir");
        assertThat(run.calls()).singleElement().asString().endsWith("-jar " + jar + " --data-dir");
    }

    @Test
    void helpDoesNotRecordAClassDataArchive() throws Exception {
        jarBuiltAt(NEWER);
        assertThat(launch(Map.of(), "--help").calls().get(0)).doesNotContain("Archive");
    }

    @Test
    void extraJvmOptionsComeFromTheEnvironment() throws Exception {
        jarBuiltAt(NEWER);
        assertThat(launch(Map.of("HEARTH_JAVA_OPTS", "-Xmx64m -Dfoo=bar"), "version").calls().get(0))
                .contains("-Xmx256m").contains(" -Xmx64m -Dfoo=bar -jar");
    }
}
