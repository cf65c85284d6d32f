package io.hearth.shadow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The shadow rules that work on state trees: merging a partial update (null deletes, objects
 * recurse, arrays are atomic), metadata with a timestamp on every leaf, and the delta between
 * desired and reported (numbers compare by value, so 1 equals 1.0).
 */
final class StateMerge {

    /** Levels of objects allowed inside desired or reported; AWS IoT's error text says 6. */
    static final int MAX_DEPTH = 6;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private StateMerge() {
    }

    /** Levels of nested objects in {@code node}: {@code {"a":1}} is 1, {@code {"a":{"b":1}}} is 2. */
    static int depth(JsonNode node) {
        if (!node.isContainerNode()) {
            return 0;
        }
        int deepest = 0;
        for (JsonNode child : node) {
            deepest = Math.max(deepest, depth(child));
        }
        return node.isObject() ? deepest + 1 : deepest;
    }

    /** True when an array anywhere in {@code node} holds a null: arrays are values and cannot delete. */
    static boolean hasNullInArray(JsonNode node) {
        for (JsonNode child : node) {
            if ((node.isArray() && child.isNull()) || hasNullInArray(child)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Merges {@code patch} into {@code section} and records {@code timestamp} in {@code metadata} for
     * every leaf it sets. A null value removes its key; an object left empty by removals goes too.
     */
    static void apply(ObjectNode section, ObjectNode metadata, ObjectNode patch, long timestamp) {
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            String key = field.getKey();
            JsonNode value = field.getValue();
            if (value.isNull()) {
                section.remove(key);
                metadata.remove(key);
            } else if (value.isObject()) {
                ObjectNode child = section.get(key) instanceof ObjectNode existing ? existing : section.putObject(key);
                ObjectNode childMeta = metadata.get(key) instanceof ObjectNode existing && child.size() > 0
                        ? existing : metadata.putObject(key);
                boolean wasEmpty = value.isEmpty();
                apply(child, childMeta, (ObjectNode) value, timestamp);
                if (child.isEmpty() && !wasEmpty) {
                    section.remove(key);
                    metadata.remove(key);
                }
            } else {
                section.set(key, value.deepCopy());
                metadata.set(key, metadataOf(value, timestamp));
            }
        }
    }

    /** The metadata of a value set at {@code timestamp}: the value's shape with a timestamp on each leaf. */
    static JsonNode metadataOf(JsonNode value, long timestamp) {
        if (value.isObject()) {
            ObjectNode meta = NODES.objectNode();
            value.properties().forEach(e -> meta.set(e.getKey(), metadataOf(e.getValue(), timestamp)));
            return meta;
        }
        if (value.isArray()) {
            ArrayNode meta = NODES.arrayNode();
            value.forEach(element -> meta.add(metadataOf(element, timestamp)));
            return meta;
        }
        return NODES.objectNode().put("timestamp", timestamp);
    }

    /**
     * The desired fields that reported lacks or holds differently, keeping the path down to each
     * differing leaf; null when there are none. Fields only in reported never appear.
     */
    static ObjectNode delta(ObjectNode desired, ObjectNode reported) {
        if (desired == null) {
            return null;
        }
        ObjectNode delta = NODES.objectNode();
        for (Map.Entry<String, JsonNode> field : desired.properties()) {
            JsonNode wanted = field.getValue();
            JsonNode actual = reported == null ? null : reported.get(field.getKey());
            if (wanted.isObject() && actual != null && actual.isObject()) {
                ObjectNode inner = delta((ObjectNode) wanted, (ObjectNode) actual);
                if (inner != null) {
                    delta.set(field.getKey(), inner);
                }
            } else if (actual == null || !sameValue(wanted, actual)) {
                delta.set(field.getKey(), wanted.deepCopy());
            }
        }
        return delta.isEmpty() ? null : delta;
    }

    /** The part of {@code metadata} that mirrors {@code shape}'s fields. */
    static ObjectNode metadataFor(ObjectNode shape, ObjectNode metadata) {
        ObjectNode picked = NODES.objectNode();
        if (metadata == null) {
            return picked;
        }
        for (Map.Entry<String, JsonNode> field : shape.properties()) {
            JsonNode meta = metadata.get(field.getKey());
            if (meta == null) {
                continue;
            }
            if (field.getValue().isObject() && meta.isObject() && !meta.has("timestamp")) {
                picked.set(field.getKey(), metadataFor((ObjectNode) field.getValue(), (ObjectNode) meta));
            } else {
                picked.set(field.getKey(), meta.deepCopy());
            }
        }
        return picked;
    }

    /** Deep equality in which numbers compare by value. */
    static boolean sameValue(JsonNode a, JsonNode b) {
        if (a.isNumber() && b.isNumber()) {
            return a.decimalValue().compareTo(b.decimalValue()) == 0;
        }
        if (a.isObject() && b.isObject()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = a.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> field = it.next();
                JsonNode other = b.get(field.getKey());
                if (other == null || !sameValue(field.getValue(), other)) {
                    return false;
                }
            }
            return true;
        }
        if (a.isArray() && b.isArray()) {
            if (a.size() != b.size()) {
                return false;
            }
            for (int i = 0; i < a.size(); i++) {
                if (!sameValue(a.get(i), b.get(i))) {
                    return false;
                }
            }
            return true;
        }
        return a.equals(b);
    }

    /** The top-level keys of {@code patch} whose value differs from {@code before} (for history). */
    static List<String> changedKeys(ObjectNode before, ObjectNode patch) {
        List<String> changed = new ArrayList<>();
        for (Map.Entry<String, JsonNode> field : patch.properties()) {
            JsonNode old = before == null ? null : before.get(field.getKey());
            if (!field.getValue().isNull() && (old == null || !sameValue(old, field.getValue()))) {
                changed.add(field.getKey());
            }
        }
        return changed;
    }
}
