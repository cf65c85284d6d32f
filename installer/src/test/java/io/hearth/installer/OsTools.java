package io.hearth.installer;

import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The OS tools the packaging tests use (dpkg, dpkg-deb, tar, setpriv). A missing one skips the test,
 * unless {@code hearth.e2e.required} is true: then it fails, so CI cannot pass without running it.
 */
final class OsTools {

    private OsTools() {
    }

    static void require(String... tools) {
        for (String tool : tools) {
            if (find(tool) == null) {
                missing(tool + " is not installed");
            }
        }
    }

    /** Installing into another root changes owners of files, which takes root. */
    static void requireRoot() {
        if (!"root".equals(System.getProperty("user.name"))) {
            missing("the test must run as root");
        }
    }

    static Path find(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin:/bin").split(":")) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        for (String dir : new String[] {"/usr/sbin", "/sbin", "/usr/bin", "/bin"}) {
            Path candidate = Path.of(dir, tool);
            if (Files.isExecutable(candidate)) {
                return candidate;
            }
        }
        return null;
    }

    static void missing(String why) {
        if (Boolean.getBoolean("hearth.e2e.required")) {
            fail(why + ", and hearth.e2e.required is true");
        }
        assumeTrue(false, why + "; skipped");
    }
}
