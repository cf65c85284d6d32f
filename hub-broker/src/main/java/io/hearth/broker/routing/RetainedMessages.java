package io.hearth.broker.routing;

import io.hearth.core.bus.BusMessage;
import io.hearth.core.bus.Topics;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The last retained message of each topic. An empty retained payload deletes the topic's message;
 * expired messages are dropped when found.
 */
public final class RetainedMessages {

    private final Map<String, Retained> byTopic = new ConcurrentHashMap<>();

    /** A retained message with the time it arrived, to compute its remaining expiry. */
    public record Retained(BusMessage message, long receivedNanos) {

        boolean expired(long nowNanos) {
            Long expiry = message.expirySeconds();
            return expiry != null && nowNanos - receivedNanos >= expiry * 1_000_000_000L;
        }

        /** The message as it is sent now: expiry reduced by the time it has been kept. */
        public BusMessage current(long nowNanos) {
            Long expiry = message.expirySeconds();
            if (expiry == null) {
                return message;
            }
            long left = Math.max(1, expiry - (nowNanos - receivedNanos) / 1_000_000_000L);
            return message.withRetain(true).withExpirySeconds(left);
        }
    }

    /** Keeps or (empty payload) deletes the retained message of {@code message.topic()}. */
    public void store(BusMessage message, long nowNanos) {
        if (message.payload().length == 0) {
            byTopic.remove(message.topic());
        } else {
            byTopic.put(message.topic(), new Retained(message, nowNanos));
        }
    }

    /** Calls {@code sink} with each live retained message whose topic matches {@code filter}. */
    public void match(String filter, long nowNanos, Consumer<Retained> sink) {
        if (filter.indexOf('+') < 0 && filter.indexOf('#') < 0) {
            // Most subscriptions name one topic: look it up rather than test every retained topic.
            Retained retained = byTopic.get(filter);
            if (retained != null && retained.expired(nowNanos)) {
                byTopic.remove(filter, retained);
            } else if (retained != null) {
                sink.accept(retained);
            }
            return;
        }
        for (Map.Entry<String, Retained> entry : byTopic.entrySet()) {
            Retained retained = entry.getValue();
            if (retained.expired(nowNanos)) {
                byTopic.remove(entry.getKey(), retained);
            } else if (Topics.matches(filter, entry.getKey())) {
                sink.accept(retained);
            }
        }
    }

    public int size() {
        return byTopic.size();
    }
}
