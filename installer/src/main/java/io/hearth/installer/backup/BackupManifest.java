package io.hearth.installer.backup;

import java.util.List;
import java.util.Map;

/**
 * The first entry of a backup archive: what it holds and how to check it. Restore reads it before
 * anything else and refuses an archive whose files do not match it byte for byte.
 *
 * @param format the archive layout; a restore refuses formats it does not know
 * @param hubVersion the Hearth version that wrote the backup
 * @param hubId the hub's identity (core_hub), to say which hub a backup is of
 * @param createdAt when the database copy was taken, ISO-8601
 * @param schemas each module's schema version in the copied database
 * @param files every other entry, with its size and SHA-256
 */
public record BackupManifest(int format, String hubVersion, String hubId, String createdAt,
                             Map<String, String> schemas, List<Entry> files) {

    public static final int FORMAT = 1;
    public static final String NAME = "manifest.json";

    public BackupManifest {
        schemas = schemas == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(schemas));
        files = files == null ? List.of() : List.copyOf(files);
    }

    /** One file: {@code data/...} for the data dir's contents, {@code config/hearth.yml} for the configuration. */
    public record Entry(String path, long size, String sha256) {
    }
}
