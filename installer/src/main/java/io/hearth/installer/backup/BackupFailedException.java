package io.hearth.installer.backup;

/** A backup or restore that did not happen; the message says why and what to do. */
public final class BackupFailedException extends Exception {

    public BackupFailedException(String message) {
        super(message, null, false, false);
    }
}
