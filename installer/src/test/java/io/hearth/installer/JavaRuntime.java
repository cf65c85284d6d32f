package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.module.ModuleFinder;
import java.lang.module.ModuleReference;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A Java runtime image as a homeowner's machine has it: every runtime module of the JDK running the
 * tests, but none of the development tools (compiler, jlink, jshell, debuggers, incubators). Made
 * with jlink, so a hub that needs anything only a JDK has fails on it.
 */
final class JavaRuntime {

    private static final Pattern DEVELOPMENT = Pattern.compile("jdk\\.(compiler|javadoc|jdeps|jlink|jshell|jartool|jpackage"
            + "|hotspot\\.agent|jdi|jdwp\\.agent|jconsole|jstatd|jcmd|editpad|attach|incubator\\..*|internal\\..*)");

    private JavaRuntime() {
    }

    static Path withoutDevelopmentTools(Path image) throws Exception {
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        if (!jlink.toFile().canExecute()) {
            OsTools.missing("jlink is not in the Java running the tests (" + System.getProperty("java.home") + ")");
        }
        String modules = ModuleFinder.ofSystem().findAll().stream().map(ModuleReference::descriptor)
                .map(java.lang.module.ModuleDescriptor::name).filter(name -> !DEVELOPMENT.matcher(name).matches())
                .sorted().collect(Collectors.joining(","));
        HearthCli.Result made = HearthCli.exec(List.of(jlink.toString(), "--add-modules", modules, "--strip-debug",
                "--no-header-files", "--no-man-pages", "--output", image.toString()), "");
        assertThat(made.exit()).as("jlink: " + made.err()).isZero();
        return image;
    }
}
