package io.hearth.core.cloud;

/**
 * The link as {@code GET /api/v1/cloud} shows it.
 *
 * @param enabled {@code hearth.cloud.enabled}
 * @param connected a session with the cloud is up now
 * @param since ISO-8601 time the link last became connected or disconnected, or null before that happened
 * @param queued changes waiting for the cloud's acknowledgement (at most one per device and kind)
 * @param lastError the last problem in words the homeowner can act on, or null
 */
public record CloudStatus(boolean enabled, boolean connected, String since, long queued, String lastError) {
}
