package io.hearth.core.store;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the database file as it was before an upgrade's migrations until they have all succeeded.
 * A failed step, or a process killed half way, leaves the previous database in place rather than
 * one that is neither old nor new.
 */
final class MigrationGuard {

    private static final Logger LOG = LoggerFactory.getLogger(MigrationGuard.class);

    private final DataDir dataDir;
    private final Path copy;
    private boolean kept;

    MigrationGuard(DataDir dataDir) {
        this.dataDir = dataDir;
        this.copy = dataDir.root().resolve("hearth.mv.db.before-upgrade");
    }

    /** A copy left behind means the last upgrade never finished: go back to the database before it. */
    void restoreIfInterrupted() throws IOException {
        if (Files.exists(copy)) {
            LOG.warn("The last database upgrade did not finish; going back to the database as it was before it");
            Files.move(copy, dataDir.databaseFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
    }

    /** Copies the (closed) database file aside; nothing to keep for a database that does not exist yet. */
    void keepCopy() throws IOException {
        if (!Files.exists(dataDir.databaseFile())) {
            return;
        }
        Path partial = dataDir.root().resolve("hearth.mv.db.copying");
        Files.copy(dataDir.databaseFile(), partial, StandardCopyOption.REPLACE_EXISTING);
        Files.move(partial, copy, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        kept = true;
    }

    /** Every migration succeeded: the copy is no longer needed. */
    void done() throws IOException {
        if (kept) {
            Files.deleteIfExists(copy);
            kept = false;
        }
    }

    /** A migration failed: put the previous database back (the database must be closed). */
    void restore() {
        if (!kept) {
            return;
        }
        try {
            Files.move(copy, dataDir.databaseFile(), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            kept = false;
            LOG.warn("The database upgrade failed; the database is back as it was before it");
        } catch (IOException e) {
            LOG.error("The database upgrade failed and the previous database could not be put back; it is kept as {}",
                    copy);
        }
    }
}
