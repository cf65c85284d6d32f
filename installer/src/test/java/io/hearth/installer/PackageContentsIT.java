package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** What the release archive and the Debian package hold, with their modes, links and metadata. */
class PackageContentsIT {

    private static final String VERSION = System.getProperty("hearthtest.version");
    private static final Path TARBALL = Path.of(System.getProperty("hearthtest.tarball"));
    private static final Path DEB = Path.of(System.getProperty("hearthtest.deb"));

    private static List<String> lines(String... command) throws Exception {
        HearthCli.Result result = HearthCli.exec(List.of(command), "");
        assertThat(result.exit()).as(result.err()).isZero();
        return result.out().lines().toList();
    }

    private static List<String> libraries() throws Exception {
        try (Stream<Path> jars = Files.list(Path.of("target/lib"))) {
            return Stream.concat(jars.map(p -> p.getFileName().toString()), Stream.of("hearth.jar")).sorted().toList();
        }
    }

    /** "mode owner path" for each entry of a tar listing ("-rwxr-xr-x root/root 123 date time path [-> target]"). */
    private static List<String> modesAndPaths(List<String> listing) {
        return listing.stream().map(line -> line.split("\\s+")).map(f -> f[0] + " " + String.join(" ", Arrays.copyOfRange(f, 5, f.length)))
                .toList();
    }

    @Test
    void theReleaseArchiveHoldsTheLauncherLibrariesConfigurationServiceReadmeAndLicense() throws Exception {
        OsTools.require("tar");
        String root = "hearth-" + VERSION + "/";
        List<String> entries = modesAndPaths(lines("tar", "-tvzf", TARBALL.toString()));
        assertThat(entries).contains("-rwxr-xr-x " + root + "bin/hearth", "-rw-r--r-- " + root + "conf/hearth.yml",
                "-rw-r--r-- " + root + "conf/jvm.options", "-rw-r--r-- " + root + "systemd/hearth.service",
                "-rw-r--r-- " + root + "README", "-rw-r--r-- " + root + "LICENSE");
        List<String> jars = entries.stream().filter(e -> e.contains(root + "lib/") && e.endsWith(".jar"))
                .map(e -> e.substring(e.lastIndexOf('/') + 1)).sorted().toList();
        assertThat(jars).isEqualTo(libraries());
        assertThat(entries).allMatch(e -> e.contains(" " + root), "everything is inside " + root);

        assertThat(lines("tar", "-xOzf", TARBALL.toString(), root + "conf/hearth.yml"))
                .isEqualTo(Files.readAllLines(Path.of("src/main/dist/hearth.yml")));
        assertThat(lines("tar", "-xOzf", TARBALL.toString(), root + "bin/hearth").get(0)).isEqualTo("#!/bin/sh");
    }

    @Test
    void theDebianPackageDeclaresItselfAndItsJavaDependency() throws Exception {
        OsTools.require("dpkg-deb");
        assertThat(DEB.getFileName().toString()).isEqualTo("hearth_" + VERSION + "_all.deb");
        assertThat(lines("dpkg-deb", "-f", DEB.toString(), "Package", "Architecture", "Depends")).containsExactly(
                "Package: hearth", "Architecture: all", "Depends: openjdk-17-jre-headless | java17-runtime-headless, passwd");
        assertThat(lines("dpkg-deb", "-f", DEB.toString(), "Version").get(0))
                .isEqualTo(VERSION.replace("-SNAPSHOT", "~snapshot"));
        assertThat(lines("dpkg-deb", "-I", DEB.toString(), "conffiles"))
                .containsExactlyInAnyOrder("/etc/hearth/hearth.yml", "/etc/hearth/jvm.options");
        for (String script : List.of("postinst", "prerm", "postrm")) {
            assertThat(lines("dpkg-deb", "-I", DEB.toString(), script).get(0)).isEqualTo("#!/bin/sh");
        }
    }

    @Test
    void systemdRatesTheServiceAsWellHardened(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        OsTools.require("dpkg-deb", "systemd-analyze");
        lines("dpkg-deb", "-x", DEB.toString(), dir.toString());
        // Exposure on systemd's scale of 0 (locked down) to 10 (unprotected); 3.2 when this was written.
        HearthCli.Result rating = HearthCli.exec(List.of("systemd-analyze", "security", "--offline=yes", "--threshold=32",
                "--root=" + dir, dir.resolve("lib/systemd/system/hearth.service").toString()), "");
        assertThat(rating.out()).contains("Overall exposure level for hearth.service");
        assertThat(rating.exit()).as(rating.out()).isZero();
    }

    @Test
    void theDebianPackageInstallsTheCommandTheLibrariesTheConfigurationAndTheService() throws Exception {
        OsTools.require("dpkg-deb");
        List<String> entries = modesAndPaths(lines("dpkg-deb", "-c", DEB.toString()));
        assertThat(entries).anyMatch(e -> e.startsWith("l") && e.endsWith(" ./usr/bin/hearth -> ../share/hearth/bin/hearth"))
                .anyMatch(e -> e.startsWith("l") && e.endsWith(" ./usr/share/hearth/conf -> ../../../etc/hearth"));
        assertThat(entries).contains("-rwxr-xr-x ./usr/share/hearth/bin/hearth", "-rw-r----- ./etc/hearth/hearth.yml", "-rw-r----- ./etc/hearth/jvm.options",
                "-rw-r--r-- ./lib/systemd/system/hearth.service", "-rw-r--r-- ./usr/share/doc/hearth/copyright");
        List<String> jars = entries.stream().filter(e -> e.contains("./usr/share/hearth/lib/") && e.endsWith(".jar"))
                .map(e -> e.substring(e.lastIndexOf('/') + 1)).sorted().toList();
        assertThat(jars).isEqualTo(libraries());
        assertThat(entries).noneMatch(e -> e.contains("./var/lib/hearth"));
    }
}
