package io.hearth.serial.link;

/** Where a serial link stands. */
public enum LinkState {
    /** Not started, or stopped. */
    STOPPED,
    /** Trying to open the port for the first time. */
    OPENING,
    CONNECTED,
    /** The port failed or is gone; reopening after a backoff. */
    RETRYING
}
