package io.hearth.cloud.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.shadow.ShadowDocument;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** The AWS IoT shadow bodies the hub publishes upstream, built from local documents. */
final class ShadowBodies {

    static final ObjectMapper JSON = new ObjectMapper();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private ShadowBodies() {
    }

    /** {@code /update/documents}; {@code previous} is left out when there was none. */
    static byte[] documents(ShadowDocument previous, ShadowDocument current, long now) {
        ObjectNode body = NODES.objectNode();
        if (previous != null) {
            body.set("previous", snapshot(previous));
        }
        body.set("current", snapshot(current));
        body.put("timestamp", now);
        return bytes(body);
    }

    /**
     * Folds a newer documents body into one still waiting: the {@code previous} the cloud last saw
     * stays, the {@code current} is the newest, so apps still see one coherent step.
     */
    static byte[] mergeDocuments(byte[] queued, byte[] newer) {
        if (queued == null) {
            return newer;
        }
        try {
            JsonNode older = JSON.readTree(queued);
            ObjectNode merged = (ObjectNode) JSON.readTree(newer);
            if (older.has("previous")) {
                ObjectNode reordered = NODES.objectNode();
                reordered.set("previous", older.get("previous"));
                merged.remove("previous");
                reordered.setAll((ObjectNode) merged);
                merged = reordered;
            } else {
                merged.remove("previous");
            }
            return bytes(merged);
        } catch (IOException | ClassCastException e) {
            return newer;
        }
    }

    /** {@code /update/delta}: every desired key the device has not reached, with its metadata. */
    static byte[] delta(ShadowDocument current, long now) {
        ObjectNode delta = current.delta();
        ObjectNode body = NODES.objectNode();
        body.set("state", delta);
        body.set("metadata", metadataFor(delta, current.desiredMetadata()));
        body.put("version", current.version());
        body.put("timestamp", now);
        return bytes(body);
    }

    static byte[] deleted(long version, long now) {
        return bytes(NODES.objectNode().put("version", version).put("timestamp", now));
    }

    static ObjectNode error(int code, String message, String clientToken, long now) {
        ObjectNode body = NODES.objectNode().put("code", code).put("message", message).put("timestamp", now);
        if (clientToken != null) {
            body.put("clientToken", clientToken);
        }
        return body;
    }

    static ObjectNode snapshot(ShadowDocument document) {
        ObjectNode snapshot = NODES.objectNode();
        snapshot.set("state", document.state());
        snapshot.set("metadata", document.metadata());
        snapshot.put("version", document.version());
        return snapshot;
    }

    static byte[] bytes(JsonNode node) {
        return node.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static ObjectNode metadataFor(ObjectNode delta, ObjectNode metadata) {
        ObjectNode out = NODES.objectNode();
        if (metadata == null) {
            return out;
        }
        for (Map.Entry<String, JsonNode> field : delta.properties()) {
            JsonNode meta = metadata.get(field.getKey());
            if (meta == null) {
                continue;
            }
            if (field.getValue().isObject() && meta.isObject() && !meta.has("timestamp")) {
                out.set(field.getKey(), metadataFor((ObjectNode) field.getValue(), (ObjectNode) meta));
            } else {
                out.set(field.getKey(), meta);
            }
        }
        return out;
    }
}
