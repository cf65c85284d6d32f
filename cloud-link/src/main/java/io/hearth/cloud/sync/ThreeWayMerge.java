package io.hearth.cloud.sync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Merges one section (desired or reported) of a shadow changed on both sides since the last sync,
 * leaf by leaf against that last synced version: a leaf changed on one side only takes that side's
 * value; a leaf changed on both takes the owner's. Objects merge recursively; arrays and scalars are
 * whole values; numbers compare by value (1 equals 1.0), as shadow deltas do.
 */
final class ThreeWayMerge {

    /** Which side wins a leaf both changed. */
    enum Owner { LOCAL, CLOUD }

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final Comparator<JsonNode> BY_VALUE = (a, b) -> {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue());
        }
        return a.equals(b) ? 0 : 1;
    };

    private ThreeWayMerge() {
    }

    /** The merged section, or null when it ends up empty. Arguments may be null (absent section). */
    static ObjectNode merge(ObjectNode base, ObjectNode local, ObjectNode cloud, Owner owner) {
        ObjectNode merged = NODES.objectNode();
        Set<String> keys = new LinkedHashSet<>();
        addKeys(keys, base);
        addKeys(keys, local);
        addKeys(keys, cloud);
        for (String key : keys) {
            JsonNode b = get(base, key);
            JsonNode l = get(local, key);
            JsonNode c = get(cloud, key);
            boolean localChanged = !same(b, l);
            boolean cloudChanged = !same(b, c);
            JsonNode value;
            if (localChanged && cloudChanged && l != null && c != null && l.isObject() && c.isObject()
                    && (b == null || b.isObject())) {
                value = merge((ObjectNode) b, (ObjectNode) l, (ObjectNode) c, owner);
            } else if (!localChanged) {
                value = c;
            } else if (!cloudChanged) {
                value = l;
            } else {
                value = owner == Owner.LOCAL ? l : c;
            }
            if (value != null) {
                merged.set(key, value);
            }
        }
        return merged.isEmpty() ? null : merged;
    }

    /**
     * What must be sent to turn {@code from} into {@code to} as a shadow update: changed leaves, and
     * null for removed keys. Null when nothing differs.
     */
    static ObjectNode patch(ObjectNode from, ObjectNode to) {
        ObjectNode patch = NODES.objectNode();
        Set<String> keys = new LinkedHashSet<>();
        addKeys(keys, from);
        addKeys(keys, to);
        for (String key : keys) {
            JsonNode f = get(from, key);
            JsonNode t = get(to, key);
            if (same(f, t)) {
                continue;
            }
            if (t == null) {
                patch.set(key, NullNode.getInstance());
            } else if (f != null && f.isObject() && t.isObject()) {
                ObjectNode nested = patch((ObjectNode) f, (ObjectNode) t);
                if (nested != null) {
                    patch.set(key, nested);
                }
            } else {
                patch.set(key, t);
            }
        }
        return patch.isEmpty() ? null : patch;
    }

    static boolean same(JsonNode a, JsonNode b) {
        if (a == null || b == null) {
            return a == b;
        }
        return a.equals(BY_VALUE, b);
    }

    private static JsonNode get(ObjectNode node, String key) {
        if (node == null) {
            return null;
        }
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value;
    }

    private static void addKeys(Set<String> keys, ObjectNode node) {
        if (node != null) {
            node.fieldNames().forEachRemaining(keys::add);
        }
    }
}
