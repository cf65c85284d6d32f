package io.hearth.installer;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The parsed command line: {@code hearth [command] [--data-dir DIR] [--config FILE] [arguments]}.
 * With no command, the hub runs.
 *
 * @param dataDir the {@code --data-dir} option, or null
 * @param configFile the {@code --config} option, or null
 * @param arguments what follows the command, options removed
 */
record CommandLine(String command, Path dataDir, Path configFile, List<String> arguments) {

    static CommandLine parse(String... args) throws UsageException {
        String command = null;
        Path dataDir = null;
        Path configFile = null;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
            switch (name) {
                case "--data-dir" -> {
                    dataDir = Path.of(value(args, i, arg, name));
                    i += arg.contains("=") ? 0 : 1;
                }
                case "--config" -> {
                    configFile = Path.of(value(args, i, arg, name));
                    i += arg.contains("=") ? 0 : 1;
                }
                case "-h", "--help" -> command = "help";
                default -> {
                    if (command == null && !arg.startsWith("-")) {
                        command = arg;
                    } else {
                        rest.add(arg);
                    }
                }
            }
        }
        return new CommandLine(command == null ? "run" : command, dataDir, configFile, List.copyOf(rest));
    }

    private static String value(String[] args, int i, String arg, String name) throws UsageException {
        String value = arg.contains("=") ? arg.substring(arg.indexOf('=') + 1) : (i + 1 < args.length ? args[i + 1] : "");
        if (value.isBlank() || value.startsWith("--")) {
            throw new UsageException(name + " needs a value");
        }
        return value;
    }

    /** The command line cannot be understood; the message says what to change. */
    static final class UsageException extends Exception {

        UsageException(String message) {
            super(message);
        }
    }
}
