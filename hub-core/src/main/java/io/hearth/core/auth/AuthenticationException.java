package io.hearth.core.auth;

/** A login that was refused, with why, so the broker and the web API can say it in their own terms. */
public final class AuthenticationException extends Exception {

    public enum Reason {
        /** Unknown name, wrong secret, or a revoked credential: indistinguishable to the client on purpose. */
        BAD_CREDENTIALS,
        /** Known and right, but this kind of identity may not log in here (a member over MQTT). */
        NOT_AUTHORIZED,
        /** Too many failed attempts for this name or address; try again later. */
        THROTTLED
    }

    private final Reason reason;

    public AuthenticationException(Reason reason, String message) {
        super(message, null, false, false);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
