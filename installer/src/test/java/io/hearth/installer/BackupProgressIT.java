package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On a terminal, backup shows how far it is, then clears that line for its summary; in a pipe, only the summary. */
class BackupProgressIT {

    @TempDir
    Path dir;

    @Test
    void aTerminalSeesAProgressLineAndAPipeOnlyTheSummary() throws Exception {
        OsTools.require("script");
        Path data = dir.resolve("data");
        assertThat(HearthCli.run("owner-password", "user", "add", "owner", "--role", "owner", "--password-stdin",
                "--data-dir", data.toString()).exit()).isZero();
        String backup = Path.of(System.getProperty("java.home"), "bin", "java") + " -jar "
                + Path.of(System.getProperty("hearthtest.jar", "target/hearth.jar")).toAbsolutePath()
                + " backup --data-dir " + data + " --out ";

        // script(1) runs the command on a pseudo-terminal, as a person at a shell would.
        HearthCli.Result terminal = HearthCli.exec(List.of("script", "-qec", backup + dir.resolve("a.zip"), "/dev/null"), "");
        assertThat(terminal.exit()).as(terminal.out()).isZero();
        assertThat(terminal.out()).contains("\rWriting the backup… ").contains("% of ").contains("\rBacked up hub ");

        HearthCli.Result piped = HearthCli.exec(List.of("sh", "-c", backup + dir.resolve("b.zip")), "");
        assertThat(piped.exit()).isZero();
        assertThat(piped.out()).startsWith("Backed up hub ").doesNotContain("\r").hasLineCount(1);
        assertThat(piped.err()).isEmpty();
    }
}
