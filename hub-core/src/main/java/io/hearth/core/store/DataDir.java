package io.hearth.core.store;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The hub's data directory and where things live in it. It holds the database, keys and logs, so
 * it is created readable by the hub's user only.
 */
public record DataDir(Path root) {

    public DataDir {
        root = root.toAbsolutePath().normalize();
    }

    /** Creates the directory (owner-only) if it does not exist yet. */
    public static DataDir prepare(Path root) throws IOException {
        DataDir dir = new DataDir(root);
        if (!Files.isDirectory(dir.root)) {
            try {
                Files.createDirectories(dir.root,
                        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectories(dir.root);
            } catch (FileAlreadyExistsException e) {
                throw new IOException(dir.root + " exists but is not a directory", e);
            }
        }
        tightenPermissions(dir.root);
        if (!Files.isWritable(dir.root)) {
            throw new IOException("cannot write to " + dir.root + "; check its owner and permissions");
        }
        return dir;
    }

    /** A data dir made by hand may be readable by others: it holds keys and the database, so it is made owner-only. */
    private static void tightenPermissions(Path root) throws IOException {
        try {
            var permissions = Files.getPosixFilePermissions(root);
            var ownerOnly = PosixFilePermissions.fromString("rwx------");
            if (!permissions.equals(ownerOnly)) {
                Files.setPosixFilePermissions(root, ownerOnly);
            }
        } catch (UnsupportedOperationException | java.nio.file.AccessDeniedException notOurs) {
            // Not a POSIX file system, or not our directory to change: its owner decides.
        }
    }

    /** The H2 database, without H2's {@code .mv.db} suffix. */
    public Path database() {
        return root.resolve("hearth");
    }

    public Path databaseFile() {
        return root.resolve("hearth.mv.db");
    }

    /** The journal's log of recent transactions, which the database file may not hold yet. */
    public Path journalFile() {
        return root.resolve("hearth.journal");
    }

    public Path logs() {
        return root.resolve("logs");
    }

    public Path tls() {
        return root.resolve("tls");
    }

    public Path lockFile() {
        return root.resolve("hearth.lock");
    }

    public Path configFile() {
        return root.resolve("hearth.yml");
    }
}
