package io.hearth.broker.routing;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * All subscriptions as a trie of topic levels, so matching a topic costs the depth of the topic,
 * not the number of subscriptions. Reads run without locks on any thread; changes are serialized.
 */
public final class SubscriptionIndex {

    /** Topics split recently on this thread: devices publish to the same few topics over and over. */
    private static final ThreadLocal<RecentTopics> RECENT = ThreadLocal.withInitial(RecentTopics::new);

    private final Node root = new Node(null, null);
    private final AtomicInteger size = new AtomicInteger();

    /** Adds or replaces the subscriber's subscription with the same key. Returns true when it is new. */
    public synchronized boolean add(Subscription subscription) {
        Node node = root;
        for (String level : levels(subscription.filter())) {
            node = node.children.computeIfAbsent(level, l -> new Node(l, null)).withParent(node);
        }
        Subscription previous = node.subscriptions.put(slot(subscription), subscription);
        if (previous == null) {
            size.incrementAndGet();
        }
        return previous == null;
    }

    /** Removes a subscription by its key ({@link Subscription#key()}); true when there was one. */
    public synchronized boolean remove(String subscriberId, String filter, String group) {
        Node node = root;
        for (String level : levels(filter)) {
            node = node.children.get(level);
            if (node == null) {
                return false;
            }
        }
        if (node.subscriptions.remove(slot(subscriberId, group)) == null) {
            return false;
        }
        size.decrementAndGet();
        prune(node);
        return true;
    }

    /** Calls {@code sink} with every subscription whose filter matches {@code topic}. */
    public void match(String topic, Consumer<Subscription> sink) {
        String[] levels = RECENT.get().levels(topic);
        // Filters starting with a wildcard never match $SYS, $aws and other $ topics.
        match(root, levels, 0, topic.startsWith("$"), sink);
    }

    public int size() {
        return size.get();
    }

    private static void match(Node node, String[] levels, int depth, boolean dollar, Consumer<Subscription> sink) {
        boolean wildcardsAllowed = !(dollar && depth == 0);
        if (wildcardsAllowed) {
            Node multi = node.children.get("#");
            if (multi != null) {
                // "a/#" matches "a" itself and everything below it.
                multi.subscriptions.values().forEach(sink);
            }
        }
        if (depth == levels.length) {
            node.subscriptions.values().forEach(sink);
            return;
        }
        if (wildcardsAllowed) {
            Node single = node.children.get("+");
            if (single != null) {
                match(single, levels, depth + 1, dollar, sink);
            }
        }
        Node exact = node.children.get(levels[depth]);
        if (exact != null) {
            match(exact, levels, depth + 1, dollar, sink);
        }
    }

    private void prune(Node node) {
        while (node.parent != null && node.subscriptions.isEmpty() && node.children.isEmpty()) {
            node.parent.children.remove(node.level, node);
            node = node.parent;
        }
    }

    /** Splits on '/', keeping empty levels ("a//b" has three). */
    static String[] levels(String topic) {
        return topic.split("/", -1);
    }

    private static String slot(Subscription subscription) {
        return slot(subscription.subscriberId(), subscription.group());
    }

    /** A subscriber may hold the same filter once unshared and once per share group. */
    private static String slot(String subscriberId, String group) {
        return group == null ? subscriberId : subscriberId + '\u0000' + group;
    }

    /** A small direct-mapped cache of split topics; a miss splits again, so it never grows. */
    private static final class RecentTopics {
        private static final int SLOTS = 64;
        private final String[] topics = new String[SLOTS];
        private final String[][] split = new String[SLOTS][];

        String[] levels(String topic) {
            int slot = topic.hashCode() & (SLOTS - 1);
            if (topic.equals(topics[slot])) {
                return split[slot];
            }
            String[] levels = SubscriptionIndex.levels(topic);
            topics[slot] = topic;
            split[slot] = levels;
            return levels;
        }
    }

    private static final class Node {
        final String level;
        volatile Node parent;
        final Map<String, Node> children = new ConcurrentHashMap<>();
        final Map<String, Subscription> subscriptions = new ConcurrentHashMap<>();

        Node(String level, Node parent) {
            this.level = level;
            this.parent = parent;
        }

        Node withParent(Node newParent) {
            parent = newParent;
            return this;
        }
    }
}
