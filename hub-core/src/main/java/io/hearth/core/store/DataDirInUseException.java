package io.hearth.core.store;

/** Another hub process holds the data directory. */
public final class DataDirInUseException extends Exception {

    public DataDirInUseException(String message) {
        super(message);
    }
}
