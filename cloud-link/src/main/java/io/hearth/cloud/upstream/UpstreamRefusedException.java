package io.hearth.cloud.upstream;

/** The cloud acknowledged a message with an error reason: sending it again will not help. */
public final class UpstreamRefusedException extends RuntimeException {

    public UpstreamRefusedException(String reason) {
        super(reason, null, false, false);
    }
}
