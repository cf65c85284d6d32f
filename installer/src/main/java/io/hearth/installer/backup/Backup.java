package io.hearth.installer.backup;

import io.hearth.core.lifecycle.HubVersion;
import io.hearth.core.store.DataDir;
import io.hearth.core.store.DataDirInUseException;
import io.hearth.core.store.DataDirLock;
import io.hearth.core.store.Store;
import io.hearth.installer.admin.AdminActions;
import io.hearth.installer.admin.AdminClient;
import io.hearth.installer.admin.AdminInbox;
import io.hearth.installer.admin.AdminRequest;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;

/**
 * {@code hearth backup --out FILE}: one file with everything a hub needs to come back on a new
 * disk — the database (a consistent copy, taken by the running hub itself when one runs), the TLS
 * material and the configuration. The file holds secrets, so it is readable by its owner only.
 */
public final class Backup {

    /** How long a running hub may take to copy its database; a big history can take a while on an SD card. */
    private static final Duration COPY_LIMIT = Duration.ofMinutes(30);

    private final Path dataDirPath;
    private final Path configFile;
    private final PrintStream out;
    private final PrintStream err;

    /** @param configFile the configuration in effect ({@code --config}, else the data dir's hearth.yml), or null */
    public Backup(Path dataDir, Path configFile, PrintStream out, PrintStream err) {
        this.dataDirPath = dataDir;
        this.configFile = configFile;
        this.out = out;
        this.err = err;
    }

    /** Writes the backup to {@code target}, replacing it only once the new one is complete. */
    public void to(Path target) throws BackupFailedException, IOException {
        long started = System.nanoTime();
        DataDir dataDir = new DataDir(dataDirPath);
        if (!Files.isRegularFile(dataDir.databaseFile())) {
            throw new BackupFailedException("there is no hub data in " + dataDir.root() + " (no "
                    + dataDir.databaseFile().getFileName() + "); check --data-dir");
        }
        if (Files.exists(dataDir.root().resolve("hearth.mv.db.before-upgrade"))) {
            throw new BackupFailedException("the last database upgrade in " + dataDir.root() + " did not finish; "
                    + "start the hub once (it puts the previous database back), then back up");
        }
        Path destination = target.toAbsolutePath().normalize();
        if (Files.isDirectory(destination)) {
            throw new BackupFailedException(destination + " is a directory; give a file name, e.g. "
                    + destination.resolve("hearth-backup.zip"));
        }
        Path folder = destination.getParent();
        if (folder == null || !Files.isDirectory(folder) || !Files.isWritable(folder)) {
            throw new BackupFailedException("cannot write into " + folder + "; create it or choose another --out");
        }
        Path work = Files.createTempDirectory(folder, ".hearth-backup-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        try {
            Path database = work.resolve(DatabaseCopy.DATABASE_FILE);
            boolean byRunningHub = copyDatabase(dataDir, work, database);
            DatabaseCopy.Facts facts;
            try {
                facts = DatabaseCopy.facts(database);
            } catch (SQLException e) {
                throw new BackupFailedException("the copy of the database cannot be read back (" + e.getMessage()
                        + "); nothing was written to " + destination);
            }
            Map<String, Path> files = new LinkedHashMap<>();
            files.put(BackupArchive.DATA + DatabaseCopy.DATABASE_FILE, database);
            for (Path tls : tlsFiles(dataDir)) {
                files.put(BackupArchive.DATA + "tls/" + tls.getFileName(), tls);
            }
            if (configFile != null && Files.isRegularFile(configFile)) {
                files.put(BackupArchive.CONFIG, configFile);
            }
            List<BackupManifest.Entry> entries = new ArrayList<>();
            long total = 0;
            for (Map.Entry<String, Path> file : files.entrySet()) {
                long size = Files.size(file.getValue());
                entries.add(new BackupManifest.Entry(file.getKey(), size, BackupArchive.sha256(file.getValue())));
                total += size;
            }
            BackupManifest manifest = new BackupManifest(BackupManifest.FORMAT, HubVersion.current(), facts.hubId(),
                    Instant.now().toString(), facts.schemas(), entries);
            Path partial = work.resolve("backup.zip");
            ProgressLine progress = new ProgressLine(ProgressLine.terminalOrNull(err), "Writing the backup", total);
            try (OutputStream file = Files.newOutputStream(Files.createFile(partial,
                    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))))) {
                BackupArchive.write(file, manifest, files, progress);
            }
            progress.finish();
            Files.move(partial, destination, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            int tlsFiles = files.size() - 1 - (files.containsKey(BackupArchive.CONFIG) ? 1 : 0);
            out.println(String.format(Locale.ROOT, "Backed up hub %s from %s to %s: database%s, %d TLS file%s, %s; %s in %.1f s.",
                    facts.hubId(), dataDir.root(), destination, byRunningHub ? " (copied by the running hub)" : "",
                    tlsFiles, tlsFiles == 1 ? "" : "s",
                    files.containsKey(BackupArchive.CONFIG) ? "configuration " + configFile.toAbsolutePath() : "no configuration file",
                    ProgressLine.megabytes(Files.size(destination)), (System.nanoTime() - started) / 1e9));
        } finally {
            deleteTree(work);
        }
    }

    /** Returns whether the running hub made the copy (else this process did, holding the data dir). */
    private boolean copyDatabase(DataDir dataDir, Path work, Path database) throws BackupFailedException, IOException {
        Path copy;
        boolean byHub;
        try (DataDirLock lock = DataDirLock.acquire(dataDir)) {
            copy = work.resolve("database" + DatabaseCopy.SUFFIX);
            try {
                // A hub stopped abruptly leaves recent transactions in its journal's log only.
                Store.replayJournal(dataDir);
                DatabaseCopy.writeClosed(dataDir.databaseFile(), copy);
            } catch (SQLException e) {
                throw new BackupFailedException("the database in " + dataDir.root() + " cannot be copied: " + e.getMessage());
            }
            byHub = false;
        } catch (DataDirInUseException running) {
            copy = copyByRunningHub(dataDir);
            byHub = true;
        }
        try {
            DatabaseCopy.extract(copy, database);
        } finally {
            if (byHub) {
                Files.deleteIfExists(copy);
            }
        }
        return byHub;
    }

    private Path copyByRunningHub(DataDir dataDir) throws BackupFailedException, IOException {
        Path inbox = AdminInbox.directory(dataDir.root());
        String name = UUID.randomUUID() + DatabaseCopy.SUFFIX;
        Path copy = inbox.resolve(name);
        ProgressLine progress = new ProgressLine(ProgressLine.terminalOrNull(err), "The running hub is copying its database", 0);
        CompletableFuture<String> answer = CompletableFuture.supplyAsync(() -> {
            try {
                return AdminClient.throughRunningHub(dataDir.root(),
                        new AdminRequest(AdminRequest.Action.DATABASE_COPY, name, null, null, null), COPY_LIMIT);
            } catch (AdminActions.AdminException | IOException e) {
                throw new java.util.concurrent.CompletionException(e);
            }
        });
        try {
            while (!answer.isDone()) {
                progress.at(Files.exists(copy) ? Files.size(copy) : 0);
                Thread.sleep(100);
            }
            answer.join();
        } catch (java.util.concurrent.CompletionException e) {
            Files.deleteIfExists(copy);
            throw new BackupFailedException("the running hub could not copy its database: " + e.getCause().getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new BackupFailedException("interrupted while the hub copied its database");
        } finally {
            progress.finish();
        }
        return copy;
    }

    private static List<Path> tlsFiles(DataDir dataDir) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(dataDir.tls())) {
            try (DirectoryStream<Path> entries = Files.newDirectoryStream(dataDir.tls(), Files::isRegularFile)) {
                entries.forEach(files::add);
            }
        }
        files.sort(null);
        return files;
    }

    static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (var walk = Files.walk(root)) {
            for (Path path : walk.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }
}
