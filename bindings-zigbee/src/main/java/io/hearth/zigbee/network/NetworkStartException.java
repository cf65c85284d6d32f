package io.hearth.zigbee.network;

/** The coordinator could not bring the network up; the message is fit for the health report. */
public final class NetworkStartException extends Exception {

    public NetworkStartException(String message) {
        super(message);
    }
}
