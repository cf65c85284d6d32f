package io.hearth.installer;

import io.hearth.core.config.HearthConfig;
import io.hearth.installer.backup.Backup;
import io.hearth.installer.backup.BackupFailedException;
import io.hearth.installer.backup.Restore;
import io.hearth.installer.config.ConfigException;
import io.hearth.installer.config.ConfigLoader;
import io.hearth.installer.config.ConfigSources;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/** {@code hearth backup --out FILE} and {@code hearth restore FILE}, read from the command line. */
final class BackupCommands {

    private BackupCommands() {
    }

    static int execute(CommandLine line, PrintStream out, PrintStream err) {
        LogSetup.quiet();
        Path file;
        try {
            file = line.command().equals("backup") ? outOption(line.arguments()) : onlyArgument(line.arguments());
        } catch (CommandLine.UsageException e) {
            err.println("hearth: " + e.getMessage());
            return Main.USAGE;
        }
        HearthConfig config;
        try {
            config = new ConfigLoader().load(ConfigSources.ofProcess(line.dataDir(), line.configFile()));
        } catch (ConfigException e) {
            err.println("hearth: configuration error: " + e.getMessage());
            return Main.USAGE;
        }
        Path dataDir = config.dataDir();
        try {
            if (line.command().equals("backup")) {
                Path configFile = line.configFile() != null ? line.configFile() : dataDir.resolve("hearth.yml");
                new Backup(dataDir, Files.isRegularFile(configFile) ? configFile : null, out, err).to(file);
            } else {
                Path configTarget = line.configFile() != null ? line.configFile() : dataDir.resolve("hearth.yml");
                new Restore(dataDir, configTarget, out, err).from(file);
            }
            return Main.OK;
        } catch (BackupFailedException e) {
            err.println("hearth: " + line.command() + ": " + e.getMessage());
            return Main.FAILED;
        } catch (IOException | RuntimeException e) {
            err.println("hearth: " + line.command() + " failed: " + e.getMessage());
            return Main.FAILED;
        }
    }

    private static Path outOption(List<String> arguments) throws CommandLine.UsageException {
        Path out = null;
        for (int i = 0; i < arguments.size(); i++) {
            String arg = arguments.get(i);
            if (arg.equals("--out") && i + 1 < arguments.size()) {
                out = Path.of(arguments.get(++i));
            } else if (arg.startsWith("--out=") && arg.length() > "--out=".length()) {
                out = Path.of(arg.substring("--out=".length()));
            } else {
                throw new CommandLine.UsageException("backup does not take '" + arg + "'; usage: hearth backup --out FILE");
            }
        }
        if (out == null) {
            throw new CommandLine.UsageException("say where the backup goes: hearth backup --out FILE");
        }
        return out;
    }

    private static Path onlyArgument(List<String> arguments) throws CommandLine.UsageException {
        if (arguments.size() != 1 || arguments.get(0).startsWith("-")) {
            throw new CommandLine.UsageException("usage: hearth restore FILE");
        }
        return Path.of(arguments.get(0));
    }
}
