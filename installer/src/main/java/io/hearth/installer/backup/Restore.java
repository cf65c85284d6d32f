package io.hearth.installer.backup;

import io.hearth.core.store.DataDir;
import io.hearth.core.store.DataDirInUseException;
import io.hearth.core.store.DataDirLock;
import io.hearth.core.store.Migrations;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.sql.SQLException;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * {@code hearth restore FILE}: puts a backup back into a data dir. The whole archive is checked
 * before anything is touched; the hub must be stopped (its lock is held throughout, so none can
 * start half way); the files are unpacked beside the data and swapped in with renames, and what was
 * there before is kept in a folder next to it, so a failure leaves the data dir as it was.
 */
public final class Restore {

    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");
    /**
     * What a restore replaces in the data dir. The upgrade copy goes too, or the next start would
     * put it back, and so does the journal's log, or the next start would replay it into the backup.
     */
    private static final List<String> REPLACED = List.of("hearth.mv.db", "hearth.mv.db.before-upgrade", "hearth.journal",
            "hearth.journal.previous", "tls");

    private final Path dataDirPath;
    private final Path configTarget;
    private final PrintStream out;
    private final PrintStream err;

    /** @param configTarget where a backed-up configuration goes: {@code --config}, else the data dir's hearth.yml */
    public Restore(Path dataDir, Path configTarget, PrintStream out, PrintStream err) {
        this.dataDirPath = dataDir;
        this.configTarget = configTarget;
        this.out = out;
        this.err = err;
    }

    public void from(Path archive) throws BackupFailedException, IOException {
        if (!Files.isRegularFile(archive)) {
            throw new BackupFailedException("there is no file " + archive.toAbsolutePath());
        }
        long size = Files.size(archive);
        BackupManifest manifest;
        ProgressLine checking = new ProgressLine(ProgressLine.terminalOrNull(err), "Checking the backup", size);
        try {
            manifest = BackupArchive.read(archive, null, checking);
        } catch (BackupArchive.InvalidBackupException e) {
            throw new BackupFailedException(e.getMessage() + "; nothing was changed");
        } finally {
            checking.finish();
        }
        DataDir dataDir = DataDir.prepare(dataDirPath);
        try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
            restore(archive, manifest, dataDir, size);
        } catch (DataDirInUseException running) {
            throw new BackupFailedException("a hub is running on " + dataDir.root() + "; stop it first (as a service: "
                    + "sudo systemctl stop hearth), then restore. Nothing was changed");
        }
    }

    private void restore(Path archive, BackupManifest manifest, DataDir dataDir, long size)
            throws BackupFailedException, IOException {
        String stamp = LocalDateTime.now().format(STAMP);
        Path staging = dataDir.root().resolve("restore-" + stamp);
        Path aside = dataDir.root().resolve("before-restore-" + stamp);
        Deque<Runnable> undo = new ArrayDeque<>();
        boolean done = false;
        try {
            ProgressLine unpacking = new ProgressLine(ProgressLine.terminalOrNull(err), "Unpacking the backup", size);
            try {
                BackupArchive.read(archive, staging, unpacking);
            } catch (BackupArchive.InvalidBackupException e) {
                throw new BackupFailedException(e.getMessage() + " (the file changed while it was read); nothing was changed");
            } finally {
                unpacking.finish();
            }
            checkDatabase(staging.resolve("data").resolve(DatabaseCopy.DATABASE_FILE));
            privateTree(staging);
            Files.createDirectories(aside);
            for (String name : REPLACED) {
                moveIfPresent(dataDir.root().resolve(name), aside.resolve(name), undo);
            }
            try (DirectoryStream<Path> restored = Files.newDirectoryStream(staging.resolve("data"))) {
                for (Path item : restored) {
                    moveIfPresent(item, dataDir.root().resolve(item.getFileName().toString()), undo);
                }
            }
            boolean configRestored = restoreConfig(staging.resolve(BackupArchive.CONFIG), aside, undo);
            matchOwner(dataDir);
            done = true;
            boolean keptSomething = !isEmpty(aside);
            if (!keptSomething) {
                Files.delete(aside);
            }
            out.println("Restored hub " + manifest.hubId() + " (backed up " + manifest.createdAt() + " by Hearth "
                    + manifest.hubVersion() + ") into " + dataDir.root()
                    + (configRestored ? ", configuration into " + configTarget.toAbsolutePath() : "") + ". "
                    + (keptSomething ? "The previous data is in " + aside + "; delete it once the hub works. " : "")
                    + "Start the hub to continue.");
        } finally {
            if (!done) {
                while (!undo.isEmpty()) {
                    undo.pop().run();
                }
                if (Files.exists(aside) && isEmpty(aside)) {
                    Files.delete(aside);
                }
            }
            Backup.deleteTree(staging);
        }
    }

    /** The unpacked database must open, and must not be newer than the tables this Hearth knows. */
    private static void checkDatabase(Path database) throws BackupFailedException {
        DatabaseCopy.Facts facts;
        try {
            facts = DatabaseCopy.facts(database);
        } catch (SQLException e) {
            throw new BackupFailedException("the backup's database cannot be opened (" + e.getMessage() + "); nothing was changed");
        }
        String url = "jdbc:h2:file:" + database.toString().replace(".mv.db", "") + ";IFEXISTS=TRUE;ACCESS_MODE_DATA=r;TRACE_LEVEL_FILE=0";
        for (Map.Entry<String, String> module : facts.schemas().entrySet()) {
            Migrations migrations = new Migrations(module.getKey());
            MigrationInfo[] applied = Flyway.configure(Restore.class.getClassLoader())
                    .dataSource(url, "hearth", "")
                    .locations(migrations.location())
                    .table(migrations.historyTable())
                    .load().info().applied();
            for (MigrationInfo step : applied) {
                if (step.getState() == MigrationState.FUTURE_SUCCESS) {
                    throw new BackupFailedException("the backup comes from a newer Hearth: its " + module.getKey()
                            + " tables are at version " + module.getValue() + ", which this Hearth does not know. "
                            + "Install that version or newer, then restore; nothing was changed");
                }
            }
        }
    }

    private boolean restoreConfig(Path restored, Path aside, Deque<Runnable> undo) throws IOException {
        if (!Files.isRegularFile(restored)) {
            return false;
        }
        Path target = configTarget.toAbsolutePath().normalize();
        Path previous = aside.resolve("hearth.yml");
        PosixFileAttributes keep = null;
        if (Files.isRegularFile(target)) {
            keep = Files.readAttributes(target, PosixFileAttributes.class);
            Files.copy(target, previous, StandardCopyOption.COPY_ATTRIBUTES);
        }
        // Written beside the target, then renamed over it: the configuration is never half written.
        Path partial = target.resolveSibling(".hearth.yml.restoring");
        Files.copy(restored, partial, StandardCopyOption.REPLACE_EXISTING);
        if (keep != null) {
            PosixFileAttributeView view = Files.getFileAttributeView(partial, PosixFileAttributeView.class);
            view.setPermissions(keep.permissions());
            setOwner(partial, keep.owner(), keep.group());
        } else {
            Files.setPosixFilePermissions(partial, PosixFilePermissions.fromString("rw-------"));
        }
        Files.move(partial, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        boolean hadOne = keep != null;
        undo.push(() -> {
            try {
                if (hadOne) {
                    Files.copy(previous, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
                } else {
                    Files.deleteIfExists(target);
                }
            } catch (IOException e) {
                err.println("hearth: could not put back " + target + "; the previous one is " + previous);
            }
        });
        return true;
    }

    private void moveIfPresent(Path from, Path to, Deque<Runnable> undo) throws IOException {
        if (!Files.exists(from)) {
            return;
        }
        Files.move(from, to, StandardCopyOption.ATOMIC_MOVE);
        undo.push(() -> {
            try {
                Files.move(to, from, StandardCopyOption.ATOMIC_MOVE);
            } catch (IOException e) {
                err.println("hearth: could not move " + to + " back to " + from + ": " + e.getMessage());
            }
        });
    }

    /** Unpacked files hold keys and password hashes: the owner's only. */
    private static void privateTree(Path root) throws IOException {
        try (var walk = Files.walk(root)) {
            for (Path path : walk.toList()) {
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(Files.isDirectory(path) ? "rwx------" : "rw-------"));
            }
        }
    }

    /**
     * A restore run as root into the service's data dir must leave files the service's user can
     * open: everything restored takes the data dir's owner.
     */
    private static void matchOwner(DataDir dataDir) throws IOException {
        PosixFileAttributes root = Files.readAttributes(dataDir.root(), PosixFileAttributes.class);
        for (String name : List.of("hearth.mv.db", "tls", "hearth.lock")) {
            Path item = dataDir.root().resolve(name);
            if (!Files.exists(item)) {
                continue;
            }
            try (var walk = Files.walk(item)) {
                for (Path path : walk.toList()) {
                    setOwner(path, root.owner(), root.group());
                }
            }
        }
    }

    private static void setOwner(Path path, UserPrincipal owner, GroupPrincipal group) throws IOException {
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        PosixFileAttributes now = view.readAttributes();
        if (!now.owner().equals(owner) || !now.group().equals(group)) {
            view.setOwner(owner);
            view.setGroup(group);
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        }
    }
}
