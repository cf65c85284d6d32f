package io.hearth.installer;

import static org.assertj.core.api.Assertions.assertThat;

import io.hearth.core.testing.FreePorts;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The release archive unpacked into a temporary directory and run from elsewhere, with nothing but a
 * Java runtime: {@code bin/hearth} is run by dash, the plain POSIX shell, not bash.
 */
class TarballIT {

    @TempDir
    Path dir;

    private Path home;
    private Path elsewhere;
    private Process hub;

    @BeforeEach
    void unpack() throws Exception {
        OsTools.require("tar", "dash");
        HearthCli.Result untar = HearthCli.exec(List.of("tar", "-xzf", System.getProperty("hearthtest.tarball"), "-C",
                dir.toString()), "");
        assertThat(untar.exit()).as(untar.err()).isZero();
        home = dir.resolve("hearth-" + System.getProperty("hearthtest.version"));
        elsewhere = Files.createDirectories(dir.resolve("somewhere/else"));
    }

    @AfterEach
    void stopHub() throws InterruptedException {
        if (hub != null && hub.isAlive()) {
            hub.destroyForcibly();
            hub.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private ProcessBuilder launcher(Path script, Map<String, String> env, String... args) {
        List<String> line = new java.util.ArrayList<>(List.of("dash", script.toString()));
        line.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(line).directory(elsewhere.toFile());
        builder.environment().remove("JAVA_HOME");
        builder.environment().put("PATH", Path.of(System.getProperty("java.home"), "bin") + ":/usr/bin:/bin");
        builder.environment().putAll(env);
        return builder;
    }

    @Test
    void versionRunsFromAnyDirectoryAndThroughALink() throws Exception {
        HearthCli.Result direct = HearthCli.exec(launcher(home.resolve("bin/hearth"), Map.of(), "version"), "");
        assertThat(direct.exit()).as(direct.err()).isZero();
        assertThat(direct.out()).isEqualTo("Hearth " + System.getProperty("hearthtest.version") + "\n");

        Path link = Files.createSymbolicLink(dir.resolve("hearth-link"), home.resolve("bin/hearth"));
        HearthCli.Result linked = HearthCli.exec(launcher(link, Map.of(), "version"), "");
        assertThat(linked.exit()).as(linked.err()).isZero();
        assertThat(linked.out()).startsWith("Hearth ");
    }

    @Test
    void withoutJavaItSaysSoAndWhatToInstall() throws Exception {
        Path bin = Files.createDirectories(dir.resolve("no-java-bin"));
        for (String tool : List.of("dirname", "sed", "head", "ls")) {
            Files.copy(OsTools.find(tool), bin.resolve(tool), java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
        }
        HearthCli.Result run = HearthCli.exec(launcher(home.resolve("bin/hearth"), Map.of("PATH", bin.toString()), "run"), "");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).isEqualTo("hearth: no Java found. Install a Java 17 or newer runtime "
                + "(Debian: apt-get install openjdk-17-jre-headless) or set JAVA_HOME to one.\n");
    }

    @Test
    void anOldJavaIsRefusedByName() throws Exception {
        Path fakeHome = Files.createDirectories(dir.resolve("old-jdk/bin"));
        Path java = Files.writeString(fakeHome.resolve("java"), """
                #!/bin/sh
                echo 'openjdk version "11.0.22" 2024-01-16' >&2
                """);
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        HearthCli.Result run = HearthCli.exec(launcher(home.resolve("bin/hearth"),
                Map.of("JAVA_HOME", fakeHome.getParent().toString()), "version"), "");
        assertThat(run.exit()).isEqualTo(1);
        assertThat(run.err()).contains("is Java 11; Hearth needs Java 17 or newer");
    }

    @Test
    void aJavaRuntimeWithoutTheDevelopmentToolsIsEnough() throws Exception {
        Path jre = JavaRuntime.withoutDevelopmentTools(dir.resolve("jre"));
        assertThat(jre.resolve("bin/javac")).doesNotExist();
        Map<String, String> onlyTheRuntime = Map.of("JAVA_HOME", jre.toString(), "PATH", "/usr/bin:/bin");

        HearthCli.Result version = HearthCli.exec(launcher(home.resolve("bin/hearth"), onlyTheRuntime, "version"), "");
        assertThat(version.exit()).as(version.err()).isZero();
        assertThat(version.out()).isEqualTo("Hearth " + System.getProperty("hearthtest.version") + "\n");

        // TLS on: the first start makes the certificate with the runtime's own keytool.
        int http = FreePorts.next();
        Map<String, String> env = new java.util.HashMap<>(onlyTheRuntime);
        env.putAll(Map.of("HEARTH_HTTP_PORT", Integer.toString(http), "HEARTH_MQTT_PORT", Integer.toString(FreePorts.next()),
                "HEARTH_MQTT_TLS_PORT", Integer.toString(FreePorts.next()), "HEARTH_MQTT_WEBSOCKET_PORT", "0"));
        Path data = dir.resolve("data-on-a-jre");
        hub = launcher(home.resolve("bin/hearth"), env, "run", "--data-dir", data.toString())
                .redirectErrorStream(true).redirectOutput(dir.resolve("jre-hub.log").toFile()).start();
        HealthProbe.Answer up = new HealthProbe(http).await(a -> a.status() == 200, Duration.ofSeconds(60));
        assertThat(up.body().path("status").asText()).isEqualTo("UP");
        assertThat(data.resolve("tls/server.p12")).isRegularFile();
        hub.destroy();
        assertThat(hub.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(TestPorts.isListening(http)).isFalse();
    }

    @Test
    void runStartsAHubWithItsOwnConfigurationAndPrivateDataThenStopsOnSigterm() throws Exception {
        int http = FreePorts.next();
        int mqtt = FreePorts.next();
        int tls = FreePorts.next();
        Path data = dir.resolve("data");
        Path log = dir.resolve("hub.log");
        ProcessBuilder builder = launcher(home.resolve("bin/hearth"), Map.of("HEARTH_HTTP_PORT", Integer.toString(http),
                "HEARTH_MQTT_PORT", Integer.toString(mqtt), "HEARTH_MQTT_TLS_PORT", Integer.toString(tls),
                "HEARTH_MQTT_WEBSOCKET_PORT", "0"), "run", "--data-dir", data.toString());
        builder.environment().keySet().removeIf(name -> name.startsWith("HEARTH_") && !name.contains("PORT"));
        hub = builder.redirectErrorStream(true).redirectOutput(log.toFile()).start();

        HealthProbe.Answer up = new HealthProbe(http).await(a -> a.status() == 200, Duration.ofSeconds(60));
        assertThat(up.body().path("status").asText()).isEqualTo("UP");
        assertThat(HubLog.awaitLine(log, "No owner yet: open http://", Duration.ofSeconds(10)))
                .contains("first start").contains(":" + http + "/");
        assertThat(Files.getPosixFilePermissions(data)).isEqualTo(PosixFilePermissions.fromString("rwx------"));
        assertThat(Files.getPosixFilePermissions(data.resolve("hearth.mv.db"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(Files.getPosixFilePermissions(data.resolve("tls/server.p12"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(data.resolve("tls/server.crt")).isRegularFile();
        // The JVM settings for a small board come from conf/jvm.options.
        assertThat(ProcessHandle.of(hub.pid()).flatMap(p -> p.info().commandLine()).orElse(""))
                .contains("-Xmx256m").contains("-XX:+UseG1GC").contains(home.resolve("conf/hearth.yml").toString());

        hub.destroy();
        assertThat(hub.waitFor(20, TimeUnit.SECONDS)).isTrue();
        assertThat(TestPorts.isListening(http)).isFalse();
        assertThat(TestPorts.isListening(mqtt)).isFalse();
        assertThat(Files.readString(log)).contains("Hearth stopped");
    }
}
