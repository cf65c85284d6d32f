package io.hearth.cloud.outbox;

/**
 * One message waiting for the cloud.
 *
 * @param key what it is the latest state of; a newer entry with the same key replaces it
 * @param seq position in delivery order, unique across restarts
 */
public record OutboxEntry(String key, long seq, String topic, byte[] payload) {
}
