package io.hearth.broker.routing;

/**
 * How a publisher is slowed when a subscriber it feeds falls behind: a network connection stops
 * reading until that subscriber has caught up, so messages wait in the publisher's TCP buffers
 * instead of being dropped or piling up in the hub's memory.
 */
public interface PublisherFlow {

    /** In-process publishers are not paused; the subscriber's quota bounds what they can queue. */
    PublisherFlow UNPAUSED = congested -> { };

    /** Pause until {@code congested} calls back through {@link CongestedSubscriber#whenCaughtUp}. */
    void pauseFor(CongestedSubscriber congested);

    /** A subscriber that is behind and can say when it has caught up. */
    interface CongestedSubscriber {
        void whenCaughtUp(Runnable resume);
    }
}
