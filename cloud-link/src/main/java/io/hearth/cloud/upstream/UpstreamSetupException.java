package io.hearth.cloud.upstream;

/** The link's own configuration cannot work (an unreadable certificate, a key in an unknown format). */
public final class UpstreamSetupException extends Exception {

    public UpstreamSetupException(String homeownerMessage, Throwable cause) {
        super(homeownerMessage, cause);
    }
}
