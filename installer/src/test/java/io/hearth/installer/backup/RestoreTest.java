package io.hearth.installer.backup;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.hearth.core.store.DataDir;
import io.hearth.core.store.DataDirLock;
import io.hearth.core.store.Migrations;
import io.hearth.core.store.Store;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Backups of a stopped hub, and every way a restore refuses an archive without touching the data dir. */
class RestoreTest {

    @TempDir
    Path dir;

    private Path data;
    private Path config;
    private Path archive;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final PrintStream quiet = new PrintStream(OutputStream.nullOutputStream());

    @BeforeEach
    void aStoppedHubWithABackup() throws Exception {
        data = dir.resolve("data");
        Store store = new Store(DataDir.prepare(data), List.of(new Migrations("core")));
        store.start();
        store.stop();
        Files.createDirectories(data.resolve("tls"));
        Files.writeString(data.resolve("tls/server.crt"), "certificate");
        Files.writeString(data.resolve("tls/server.p12"), "key");
        config = Files.writeString(dir.resolve("hearth.yml"), "hearth:\n  http:\n    port: 8081\n");
        archive = dir.resolve("backup.zip");
        new Backup(data, config, new PrintStream(out, true, StandardCharsets.UTF_8), quiet).to(archive);
    }

    /** Every file below the data dir with its content, to prove nothing changed. */
    private static Map<String, String> contents(Path root) throws Exception {
        Map<String, String> files = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path path : walk.filter(Files::isRegularFile).filter(p -> !p.endsWith("hearth.lock")).toList()) {
                files.put(root.relativize(path).toString(), java.util.HexFormat.of().formatHex(Files.readAllBytes(path)));
            }
        }
        return files;
    }

    private Restore restore(Path configTarget) {
        return new Restore(data, configTarget, new PrintStream(out, true, StandardCharsets.UTF_8), quiet);
    }

    private String hubId(Path dataDir) throws Exception {
        return DatabaseCopy.facts(dataDir.resolve("hearth.mv.db")).hubId();
    }

    @Test
    void aBackupOfAStoppedHubSaysWhatItHolds() {
        assertThat(out.toString(StandardCharsets.UTF_8)).startsWith("Backed up hub ").contains("2 TLS files")
                .contains("configuration " + config);
    }

    @Test
    void restoringIntoAnEmptyDataDirBringsBackTheDatabaseTheTlsFilesAndTheConfiguration() throws Exception {
        String id = hubId(data);
        Path fresh = dir.resolve("fresh");
        Path freshConfig = dir.resolve("fresh.yml");
        new Restore(fresh, freshConfig, new PrintStream(out, true, StandardCharsets.UTF_8), quiet).from(archive);
        assertThat(hubId(fresh)).isEqualTo(id);
        assertThat(fresh.resolve("tls/server.p12")).hasContent("key");
        assertThat(freshConfig).hasSameTextualContentAs(config);
        try (Stream<Path> left = Files.list(fresh)) {
            assertThat(left.map(p -> p.getFileName().toString())).containsExactlyInAnyOrder("hearth.mv.db", "tls", "hearth.lock");
        }
    }

    @Test
    void restoringOverDataKeepsWhatWasThereAside() throws Exception {
        Files.writeString(data.resolve("tls/server.p12"), "a newer key");
        restore(config).from(archive);
        assertThat(data.resolve("tls/server.p12")).hasContent("key");
        try (Stream<Path> aside = Files.list(data).filter(p -> p.getFileName().toString().startsWith("before-restore-"))) {
            Path kept = aside.findFirst().orElseThrow();
            assertThat(kept.resolve("tls/server.p12")).hasContent("a newer key");
            assertThat(kept.resolve("hearth.mv.db")).isRegularFile();
            assertThat(out.toString(StandardCharsets.UTF_8)).contains("The previous data is in " + kept);
        }
    }

    @Test
    void aFileThatDoesNotMatchItsChecksumIsRefusedAndNothingIsTouched() throws Exception {
        Path tampered = dir.resolve("tampered.zip");
        BackupManifest manifest = BackupArchive.read(archive, null, bytes -> { });
        Path unpacked = dir.resolve("unpacked");
        BackupArchive.read(archive, unpacked, bytes -> { });
        Files.writeString(unpacked.resolve("data/tls/server.p12"), "someone else's key");
        Map<String, Path> files = new LinkedHashMap<>();
        manifest.files().forEach(entry -> files.put(entry.path(), unpacked.resolve(entry.path())));
        try (OutputStream file = Files.newOutputStream(tampered)) {
            BackupArchive.write(file, manifest, files, bytes -> { });
        }
        Map<String, String> before = contents(dir);
        assertThatThrownBy(() -> restore(config).from(tampered)).isInstanceOf(BackupFailedException.class)
                .hasMessage("the backup is damaged: data/tls/server.p12 does not match its checksum; nothing was changed");
        assertThat(contents(dir)).isEqualTo(before);
    }

    @Test
    void anEntryNamedOutsideTheDataDirIsRefused() throws Exception {
        Path evil = dir.resolve("evil.zip");
        Path payload = Files.writeString(dir.resolve("payload"), "x");
        BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, "0", "id", "now", Map.of(),
                List.of(new BackupManifest.Entry("data/../../outside", 1, BackupArchive.sha256(payload))));
        try (OutputStream file = Files.newOutputStream(evil)) {
            BackupArchive.write(file, manifest, Map.of("data/../../outside", payload), bytes -> { });
        }
        assertThatThrownBy(() -> restore(config).from(evil)).isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("names a file 'data/../../outside' outside the places a backup restores to");
        assertThat(dir.getParent().resolve("outside")).doesNotExist();
    }

    @Test
    void somethingThatIsNotABackupIsRefusedByName() throws Exception {
        Path notes = Files.writeString(dir.resolve("notes.txt"), "shopping list");
        assertThatThrownBy(() -> restore(config).from(notes)).isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("is not a Hearth backup");
        assertThatThrownBy(() -> restore(config).from(dir.resolve("missing.zip"))).isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("there is no file");
    }

    @Test
    void aBackupFromANewerSchemaIsRefused() throws Exception {
        Path newer = dir.resolve("newer");
        Store store = new Store(DataDir.prepare(newer), List.of(new Migrations("core")));
        store.start();
        try (Connection connection = store.dataSource().getConnection(); Statement sql = connection.createStatement()) {
            sql.execute("INSERT INTO core_schema_history (\"installed_rank\", \"version\", \"description\", \"type\", "
                    + "\"script\", \"installed_by\", \"execution_time\", \"success\") VALUES (99, '99', 'from the future', "
                    + "'SQL', 'V99__future.sql', 'hearth', 1, TRUE)");
        }
        store.stop();
        Path future = dir.resolve("future.zip");
        new Backup(newer, null, quiet, quiet).to(future);
        Map<String, String> before = contents(data);
        assertThatThrownBy(() -> restore(config).from(future)).isInstanceOf(BackupFailedException.class)
                .hasMessageContaining("the backup comes from a newer Hearth: its core tables are at version 99");
        assertThat(contents(data)).isEqualTo(before);
        try (Stream<Path> left = Files.list(data)) {
            assertThat(left.map(p -> p.getFileName().toString())).noneMatch(n -> n.startsWith("restore-") || n.startsWith("before-restore-"));
        }
    }

    @Test
    void aHubHoldingTheDataDirRefusesTheRestore() throws Exception {
        Map<String, String> before = contents(data);
        try (DataDirLock running = DataDirLock.acquire(new DataDir(data))) {
            assertThatThrownBy(() -> restore(config).from(archive)).isInstanceOf(BackupFailedException.class)
                    .hasMessageStartingWith("a hub is running on " + data.toAbsolutePath());
        }
        assertThat(contents(data)).isEqualTo(before);
    }
}
