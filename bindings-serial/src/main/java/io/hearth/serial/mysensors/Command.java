package io.hearth.serial.mysensors;

/** The command field of a MySensors message. */
public enum Command {
    PRESENTATION,
    SET,
    REQ,
    INTERNAL,
    STREAM;

    public int code() {
        return ordinal();
    }

    static Command of(int code) {
        if (code < 0 || code >= values().length) {
            throw new IllegalArgumentException("unknown command " + code);
        }
        return values()[code];
    }
}
