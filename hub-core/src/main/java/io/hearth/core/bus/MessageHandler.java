package io.hearth.core.bus;

/**
 * Receives the messages of a subscription. Called on a broker thread in publish order per
 * subscription; a handler that must block (disk, network) hands the work to its own executor.
 */
@FunctionalInterface
public interface MessageHandler {

    void onMessage(BusMessage message);
}
