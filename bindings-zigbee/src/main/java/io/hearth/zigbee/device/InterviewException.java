package io.hearth.zigbee.device;

/** A joined node could not be turned into a device; the message says why, for the pairing status. */
public final class InterviewException extends Exception {

    public InterviewException(String message) {
        super(message);
    }
}
