package io.hearth.installer.backup;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/**
 * The backup file: a zip whose first entry is the {@link BackupManifest}, followed by the files it
 * lists. Entry names are relative and checked, so an archive cannot write outside the place it is
 * restored to.
 */
final class BackupArchive {

    static final String DATA = "data/";
    static final String CONFIG = "config/hearth.yml";

    private static final ObjectMapper JSON = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** Counts bytes as they are written or read, for the progress line. */
    interface Progress {
        void advanced(long bytes);
    }

    /** The archive is not a Hearth backup, or not an intact one; the message says what is wrong. */
    static final class InvalidBackupException extends Exception {
        InvalidBackupException(String message) {
            super(message);
        }
    }

    private BackupArchive() {
    }

    /** The SHA-256 of a file, as lowercase hex. */
    static String sha256(Path file) throws IOException {
        MessageDigest digest = sha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), digest)) {
            DatabaseCopy.drain(in);
        }
        return HexFormat.of().formatHex(digest.digest());
    }

    /**
     * Writes an archive of {@code files} (archive path to the file on disk) described by the manifest,
     * whose entries must be those files in the same order.
     */
    static void write(OutputStream out, BackupManifest manifest, Map<String, Path> files, Progress progress)
            throws IOException {
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry(BackupManifest.NAME));
            zip.write(JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
            zip.closeEntry();
            byte[] buffer = new byte[64 * 1024];
            for (Map.Entry<String, Path> file : files.entrySet()) {
                zip.putNextEntry(new ZipEntry(file.getKey()));
                try (InputStream in = Files.newInputStream(file.getValue())) {
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        zip.write(buffer, 0, n);
                        progress.advanced(n);
                    }
                }
                zip.closeEntry();
            }
        }
    }

    /**
     * Reads the whole archive and checks it against its manifest: every listed file present once, of
     * the listed size and checksum, nothing else, names that stay inside their folder. When
     * {@code into} is not null, the files are also written below it (as {@code data/...} and
     * {@code config/hearth.yml}); otherwise nothing is written anywhere.
     */
    static BackupManifest read(Path archive, Path into, Progress progress) throws IOException, InvalidBackupException {
        BackupManifest manifest = null;
        Map<String, BackupManifest.Entry> expected = new LinkedHashMap<>();
        List<String> seen = new ArrayList<>();
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(archive))) {
            ZipEntry first = zip.getNextEntry();
            if (first == null || !first.getName().equals(BackupManifest.NAME)) {
                throw new InvalidBackupException(archive + " is not a Hearth backup (it does not start with "
                        + BackupManifest.NAME + ")");
            }
            manifest = readManifest(zip, archive);
            for (BackupManifest.Entry entry : manifest.files()) {
                checkName(entry.path());
                if (expected.put(entry.path(), entry) != null) {
                    throw new InvalidBackupException("the backup's manifest lists " + entry.path() + " twice");
                }
            }
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                BackupManifest.Entry listed = expected.get(entry.getName());
                if (listed == null) {
                    throw new InvalidBackupException("the backup holds " + entry.getName() + ", which its manifest does not list");
                }
                if (seen.contains(entry.getName())) {
                    throw new InvalidBackupException("the backup holds " + entry.getName() + " twice");
                }
                seen.add(entry.getName());
                check(zip, listed, into == null ? null : into.resolve(listed.path()), progress);
            }
        } catch (java.util.zip.ZipException e) {
            throw new InvalidBackupException(archive + " is damaged: " + e.getMessage());
        }
        for (String path : expected.keySet()) {
            if (!seen.contains(path)) {
                throw new InvalidBackupException("the backup is incomplete: " + path + " is missing");
            }
        }
        if (!expected.containsKey(DATA + DatabaseCopy.DATABASE_FILE)) {
            throw new InvalidBackupException("the backup holds no database (" + DATA + DatabaseCopy.DATABASE_FILE + ")");
        }
        return manifest;
    }

    private static BackupManifest readManifest(ZipInputStream zip, Path archive) throws InvalidBackupException {
        BackupManifest manifest;
        try {
            byte[] text = zip.readNBytes(1024 * 1024);
            manifest = JSON.readValue(text, BackupManifest.class);
        } catch (IOException e) {
            throw new InvalidBackupException("the manifest of " + archive + " cannot be read: " + e.getMessage());
        }
        if (manifest.format() != BackupManifest.FORMAT) {
            throw new InvalidBackupException("the backup has format " + manifest.format() + "; this Hearth reads format "
                    + BackupManifest.FORMAT + ". Restore it with the Hearth version that made it ("
                    + manifest.hubVersion() + ") or newer");
        }
        return manifest;
    }

    /** Only the database, files of the tls folder and the configuration: nothing absolute, nothing with "..". */
    private static void checkName(String path) throws InvalidBackupException {
        boolean plain = path != null && !path.isEmpty() && !path.startsWith("/") && !path.contains("\\")
                && java.util.Arrays.stream(path.split("/")).noneMatch(part -> part.isEmpty() || part.equals("..") || part.equals("."));
        boolean known = path != null && (path.equals(CONFIG) || path.equals(DATA + DatabaseCopy.DATABASE_FILE)
                || (path.startsWith(DATA + "tls/") && path.indexOf('/', (DATA + "tls/").length()) < 0));
        if (!plain || !known) {
            throw new InvalidBackupException("the backup names a file '" + path + "' outside the places a backup restores to");
        }
    }

    private static void check(ZipInputStream zip, BackupManifest.Entry listed, Path target, Progress progress)
            throws IOException, InvalidBackupException {
        MessageDigest digest = sha256();
        long size = 0;
        byte[] buffer = new byte[64 * 1024];
        OutputStream out = OutputStream.nullOutputStream();
        if (target != null) {
            Files.createDirectories(target.getParent());
            out = Files.newOutputStream(target);
        }
        try (OutputStream sink = out) {
            for (int n = zip.read(buffer); n >= 0; n = zip.read(buffer)) {
                digest.update(buffer, 0, n);
                sink.write(buffer, 0, n);
                size += n;
                progress.advanced(n);
            }
        }
        String sha = HexFormat.of().formatHex(digest.digest());
        if (size != listed.size() || !sha.equals(listed.sha256())) {
            throw new InvalidBackupException("the backup is damaged: " + listed.path() + " does not match its checksum");
        }
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java has SHA-256", e);
        }
    }
}
