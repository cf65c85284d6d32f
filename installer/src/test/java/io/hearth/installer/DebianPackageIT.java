package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.testing.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Debian package installed by dpkg into a throwaway root, with its real maintainer scripts
 * (dpkg runs them outside a chroot and tells them the root in DPKG_ROOT): the hub runs from the
 * installed files as the package's user, an upgrade keeps its data and the administrator's
 * configuration, remove keeps the data and purge deletes it. The machine's own users and services
 * are never touched.
 */
class DebianPackageIT {

    private static final String VERSION = System.getProperty("hearthtest.version");

    @TempDir
    Path dir;

    private Path root;
    private Path data;
    private String hostUsers;
    private final List<Process> hubs = new ArrayList<>();

    @BeforeEach
    void aThrowawayRoot() throws Exception {
        OsTools.requireRoot();
        OsTools.require("dpkg", "dpkg-deb", "useradd", "usermod", "setpriv", "dash");
        // The hub runs as the package's user, who must be able to walk down to the root.
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        root = Files.createDirectories(dir.resolve("root"));
        data = root.resolve("var/lib/hearth");
        for (String admin : List.of("var/lib/dpkg/info", "var/lib/dpkg/updates", "var/lib/dpkg/triggers", "etc")) {
            Files.createDirectories(root.resolve(admin));
        }
        Files.writeString(root.resolve("var/lib/dpkg/status"), "");
        Files.writeString(root.resolve("etc/passwd"), "root:x:0:0:root:/root:/bin/sh\n");
        Files.writeString(root.resolve("etc/shadow"), "root:*:19000:0:99999:7:::\n");
        Files.writeString(root.resolve("etc/group"), "root:x:0:\ndialout:x:20:\n");
        Files.writeString(root.resolve("etc/gshadow"), "root:*::\ndialout:*::\n");
        hostUsers = Files.readString(Path.of("/etc/passwd")) + Files.readString(Path.of("/etc/group"));
    }

    @AfterEach
    void stopHubs() throws Exception {
        for (Process hub : hubs) {
            hub.destroyForcibly();
            hub.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private HearthCli.Result dpkg(String... args) throws Exception {
        List<String> line = new ArrayList<>(List.of("dpkg", "--root=" + root, "--force-script-chrootless", "--force-depends"));
        line.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(line);
        builder.environment().put("PATH", "/usr/sbin:/usr/bin:/sbin:/bin");
        HearthCli.Result result = HearthCli.exec(builder, "");
        assertThat(result.exit()).as(String.join(" ", args) + ": " + result.out() + result.err()).isZero();
        assertThat(Files.readString(Path.of("/etc/passwd")) + Files.readString(Path.of("/etc/group")))
                .as("the machine's own users and groups").isEqualTo(hostUsers);
        return result;
    }

    /** The numeric id of the hearth user (field 3) or group in the root's files. */
    private String idOf(String file) throws Exception {
        return Files.readAllLines(root.resolve("etc/" + file)).stream().filter(l -> l.startsWith("hearth:"))
                .map(l -> l.split(":")[2]).findFirst().orElseThrow(() -> new AssertionError("no hearth in etc/" + file));
    }

    /** {@code /usr/bin/hearth ARGS} of the installed package, as the hearth user. */
    private ProcessBuilder installed(Map<String, String> env, String... args) throws Exception {
        return installed(true, env, args);
    }

    /** As the hearth user, or as root (an administrator's {@code sudo hearth ...}). */
    private ProcessBuilder installed(boolean asHearth, Map<String, String> env, String... args) throws Exception {
        List<String> line = new ArrayList<>();
        if (asHearth) {
            line.addAll(List.of("setpriv", "--reuid=" + idOf("passwd"), "--regid=" + idOf("group"), "--clear-groups"));
        }
        line.addAll(List.of("dash", root.resolve("usr/bin/hearth").toString()));
        line.addAll(List.of(args));
        line.addAll(List.of("--data-dir", data.toString()));
        ProcessBuilder builder = new ProcessBuilder(line).directory(dir.toFile());
        builder.environment().keySet().removeIf(name -> name.startsWith("HEARTH_") || name.equals("JAVA_HOME"));
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
        builder.environment().putAll(env);
        return builder;
    }

    private Process startHub(int http) throws Exception {
        Path log = dir.resolve("hub-" + hubs.size() + ".log");
        Process hub = installed(Map.of("HEARTH_HTTP_PORT", Integer.toString(http),
                "HEARTH_MQTT_PORT", Integer.toString(FreePorts.next()), "HEARTH_MQTT_TLS_PORT", Integer.toString(FreePorts.next()),
                "HEARTH_MQTT_WEBSOCKET_PORT", "0"), "run").redirectErrorStream(true).redirectOutput(log.toFile()).start();
        hubs.add(hub);
        HealthProbe.Answer up = new HealthProbe(http).await(a -> a.status() == 200, Duration.ofSeconds(60));
        assertThat(up.body().path("status").asText()).isEqualTo("UP");
        return hub;
    }

    private HearthCli.Result command(String stdin, String... args) throws Exception {
        ProcessBuilder builder = installed(Map.of(), args);
        return HearthCli.exec(builder, stdin);
    }

    /** The same package under a higher version, as the next release would come. */
    private Path newerPackage() throws Exception {
        Path tree = dir.resolve("newer");
        assertThat(HearthCli.exec(List.of("dpkg-deb", "-R", System.getProperty("hearthtest.deb"), tree.toString()), "").exit()).isZero();
        Path control = tree.resolve("DEBIAN/control");
        Files.writeString(control, Files.readString(control).replaceFirst("(?m)^Version: (.*)$", "Version: $1+1"));
        Path deb = dir.resolve("hearth_newer_all.deb");
        HearthCli.Result built = HearthCli.exec(List.of("dpkg-deb", "--root-owner-group", "-b", tree.toString(), deb.toString()), "");
        assertThat(built.exit()).as(built.err()).isZero();
        return deb;
    }

    @Test
    void installRunUpgradeRemoveAndPurgeInAThrowawayRoot() throws Exception {
        dpkg("-i", System.getProperty("hearthtest.deb"));

        // The maintainer scripts made the user, in dialout, and its private data dir.
        assertThat(Files.readAllLines(root.resolve("etc/passwd")))
                .anyMatch(l -> l.startsWith("hearth:x:") && l.endsWith(":/var/lib/hearth:/usr/sbin/nologin"));
        assertThat(Files.readAllLines(root.resolve("etc/group"))).anyMatch(l -> l.matches("dialout:x:20:(.*,)?hearth(,.*)?"));
        assertThat(Files.getAttribute(data, "unix:uid").toString()).isEqualTo(idOf("passwd"));
        assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        Path config = root.resolve("etc/hearth/hearth.yml");
        assertThat(Files.getAttribute(config, "unix:gid").toString()).isEqualTo(idOf("group"));
        assertThat(Files.getPosixFilePermissions(config)).isEqualTo(PosixFilePermissions.fromString("rw-r-----"));
        assertThat(Files.readAllLines(config)).contains("  data-dir: /var/lib/hearth");
        assertThat(Files.readAllLines(root.resolve("lib/systemd/system/hearth.service"))).contains("User=hearth",
                "SupplementaryGroups=dialout", "DynamicUser=no", "ProtectSystem=strict", "ReadWritePaths=/var/lib/hearth",
                "Restart=on-failure", "ExecStart=/usr/bin/hearth run --data-dir /var/lib/hearth");

        // The installed command runs the hub as the package's user, with the package's configuration.
        int http = FreePorts.next();
        Process hub = startHub(http);
        assertThat(HubLog.awaitLine(dir.resolve("hub-0.log"), "No owner yet: open http://", Duration.ofSeconds(10))).isNotEmpty();
        HearthCli.Result added = command("porch-password\n", "credential", "add", "porch-light", "--password-stdin");
        assertThat(added.exit()).as(added.err()).isZero();
        HubProcesses.stop(hub);
        String hubId = DatabaseFiles.single(data, "SELECT id FROM core_hub");

        // An administrator's edit of the configuration survives the upgrade (it is a conffile).
        Files.writeString(config, Files.readString(config) + "# kept across upgrades\n");
        dpkg("-i", newerPackage().toString());
        HearthCli.Result version = HearthCli.exec(List.of("dpkg-query", "--root=" + root, "-W", "-f=${Version}", "hearth"), "");
        assertThat(version.out()).isEqualTo(VERSION.replace("-SNAPSHOT", "~snapshot") + "+1");
        assertThat(Files.readString(config)).endsWith("# kept across upgrades\n");
        assertThat(DatabaseFiles.single(data, "SELECT id FROM core_hub")).isEqualTo(hubId);
        Process upgraded = startHub(http);

        // sudo hearth backup while the service runs; sudo hearth restore once it is stopped: the
        // restored files belong to the hub's user, so it starts again.
        Path backup = dir.resolve("backup.zip");
        HearthCli.Result saved = HearthCli.exec(installed(false, Map.of(), "backup", "--out", backup.toString()), "");
        assertThat(saved.exit()).as(saved.err()).isZero();
        assertThat(saved.out()).contains("copied by the running hub").contains("configuration " + root.resolve("usr/share/hearth/conf/hearth.yml"));
        HubProcesses.stop(upgraded);
        HearthCli.Result restored = HearthCli.exec(installed(false, Map.of(), "restore", backup.toString()), "");
        assertThat(restored.exit()).as(restored.err()).isZero();
        assertThat(Files.getAttribute(data.resolve("hearth.mv.db"), "unix:uid").toString()).isEqualTo(idOf("passwd"));
        assertThat(Files.readString(config)).endsWith("# kept across upgrades\n");
        Process afterRestore = startHub(http);
        HearthCli.Result revoked = command("", "credential", "revoke", "porch-light");
        assertThat(revoked.exit()).as("the credential made before the upgrade is still there: " + revoked.err()).isZero();
        HubProcesses.stop(afterRestore);

        // remove keeps the hub's data and configuration; purge deletes them.
        dpkg("--remove", "hearth");
        assertThat(root.resolve("usr/share/hearth")).doesNotExist();
        assertThat(root.resolve("usr/bin/hearth")).doesNotExist();
        assertThat(data.resolve("hearth.mv.db")).isRegularFile();
        assertThat(DatabaseFiles.single(data, "SELECT id FROM core_hub")).isEqualTo(hubId);
        dpkg("--purge", "hearth");
        assertThat(data).doesNotExist();
        assertThat(root.resolve("etc/hearth")).doesNotExist();
        try (Stream<Path> left = Files.walk(root)) {
            assertThat(left.filter(Files::isRegularFile).map(p -> root.relativize(p).toString())
                    .filter(p -> !p.startsWith("var/lib/dpkg/")))
                    .as("only the root's user and group files are left")
                    .allMatch(p -> p.matches("etc/(passwd|group|shadow|gshadow)-?"));
        }
    }
}
