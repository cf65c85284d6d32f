package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void runIsTheDefaultCommand() throws Exception {
        assertThat(CommandLine.parse().command()).isEqualTo("run");
        assertThat(CommandLine.parse("--data-dir", "/d").command()).isEqualTo("run");
    }

    @Test
    void optionsMayComeBeforeOrAfterTheCommandInEitherSpelling() throws Exception {
        CommandLine line = CommandLine.parse("--config=/etc/hearth.yml", "run", "--data-dir", "/var/lib/hearth");
        assertThat(line).isEqualTo(new CommandLine("run", Path.of("/var/lib/hearth"), Path.of("/etc/hearth.yml"), List.of()));
    }

    @Test
    void argumentsAfterTheCommandAreKeptForIt() throws Exception {
        CommandLine line = CommandLine.parse("credential", "add", "lamp", "--allow", "a/#");
        assertThat(line.command()).isEqualTo("credential");
        assertThat(line.arguments()).containsExactly("add", "lamp", "--allow", "a/#");
    }

    @Test
    void anOptionWithoutItsValueIsAUsageError() {
        assertThatThrownBy(() -> CommandLine.parse("run", "--data-dir")).hasMessage("--data-dir needs a value");
        assertThatThrownBy(() -> CommandLine.parse("--config", "--data-dir", "x")).hasMessage("--config needs a value");
    }

    @Test
    void unknownCommandsAndStrayArgumentsExitWithUsageStatus() {
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        assertThat(Main.execute(new String[] {"frobnicate"}, System.out, errStream)).isEqualTo(Main.USAGE);
        assertThat(Main.execute(new String[] {"run", "--verbose"}, System.out, errStream)).isEqualTo(Main.USAGE);
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("""
                hearth: unknown command 'frobnicate'. Try 'hearth help'.
                hearth: run does not take '--verbose'. Try 'hearth help'.
                """);
    }

    @Test
    void helpListsTheCommands() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertThat(Main.execute(new String[] {"--help"}, new PrintStream(out, true, StandardCharsets.UTF_8), System.err))
                .isEqualTo(Main.OK);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("run ").contains("version ");
    }
}
