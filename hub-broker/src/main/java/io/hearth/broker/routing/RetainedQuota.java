package io.hearth.broker.routing;

import java.util.HashMap;
import java.util.Map;

/**
 * How many retained messages, and how many bytes of them, each network identity keeps in the broker:
 * a runaway or hostile device cannot fill the hub's memory and database with retained messages.
 * Only devices are counted, not owners or the hub's own modules. Retained messages restored after a restart count again
 * once their topic is published anew.
 */
public final class RetainedQuota {

    private record Holder(String identity, int bytes) {
    }

    private record Usage(int messages, long bytes) {
    }

    private final int maxMessages;
    private final long maxBytes;
    private final Map<String, Holder> byTopic = new HashMap<>();
    private final Map<String, Usage> byIdentity = new HashMap<>();

    public RetainedQuota(int maxMessages, long maxBytes) {
        this.maxMessages = maxMessages;
        this.maxBytes = maxBytes;
    }

    /** Why {@code identity} may not retain {@code bytes} on {@code topic} now, or null when it may. */
    public synchronized String problem(String identity, String topic, int bytes) {
        if (bytes == 0) {
            return null;
        }
        Holder held = byTopic.get(topic);
        boolean own = held != null && held.identity().equals(identity);
        Usage usage = byIdentity.getOrDefault(identity, new Usage(0, 0));
        int messages = usage.messages() + (own ? 0 : 1);
        long total = usage.bytes() + bytes - (own ? held.bytes() : 0);
        if (messages > maxMessages) {
            return identity + " already keeps " + usage.messages() + " retained messages, the most allowed";
        }
        if (total > maxBytes) {
            return identity + " would keep " + total + " bytes of retained messages, more than the " + maxBytes + " allowed";
        }
        return null;
    }

    /** Counts a retained message (or, with an empty payload, its removal) as {@code identity}'s. */
    public synchronized void record(String identity, String topic, int bytes) {
        Holder previous = bytes == 0 ? byTopic.remove(topic) : byTopic.put(topic, new Holder(identity, bytes));
        if (previous != null) {
            byIdentity.computeIfPresent(previous.identity(), (name, usage) -> usage.messages() <= 1 ? null
                    : new Usage(usage.messages() - 1, usage.bytes() - previous.bytes()));
        }
        if (bytes > 0) {
            byIdentity.merge(identity, new Usage(1, bytes),
                    (usage, added) -> new Usage(usage.messages() + 1, usage.bytes() + added.bytes()));
        }
    }
}
