package io.hearth.core.bus;

/**
 * The broker refused a publish or subscribe. Carries the MQTT 5 reason code (for example 0x87 not
 * authorized, 0x97 quota exceeded) and a reason a person can read.
 */
public final class BusRefusedException extends RuntimeException {

    private final int reasonCode;

    public BusRefusedException(int reasonCode, String reason) {
        super(reason);
        this.reasonCode = reasonCode;
    }

    public int reasonCode() {
        return reasonCode;
    }
}
