package io.hearth.cloud.upstream;

import java.time.Instant;

/**
 * Where the connection stands.
 *
 * @param since when the link last became connected or disconnected; null before the first attempt ended
 * @param lastError the last failure in plain words, or null
 * @param gaveUp true when the cloud refused the hub in a way retrying cannot fix
 * @param protocolVersion 5 or 3 while connected, else 0
 */
public record LinkState(boolean connected, Instant since, String lastError, boolean gaveUp, int protocolVersion) {

    static LinkState initial() {
        return new LinkState(false, null, null, false, 0);
    }
}
