package io.hearth.shadow;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * One shadow's current document. Never changed once built: an update makes a new document from
 * copies, so a document handed to listeners or responses stays valid.
 *
 * @param desired desired state, or null when there is none
 * @param reported reported state, or null when there is none
 * @param desiredMetadata timestamps mirroring {@code desired}
 * @param reportedMetadata timestamps mirroring {@code reported}
 * @param updatedAt epoch seconds of the last accepted update
 */
public record ShadowDocument(ObjectNode desired, ObjectNode reported, ObjectNode desiredMetadata,
                             ObjectNode reportedMetadata, long version, long updatedAt) {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    /** The differing desired fields, or null when reported matches desired. */
    public ObjectNode delta() {
        return StateMerge.delta(desired, reported);
    }

    /** {@code {"desired":{...},"reported":{...}}} with absent sections left out. */
    public ObjectNode state() {
        ObjectNode state = NODES.objectNode();
        if (desired != null) {
            state.set("desired", desired);
        }
        if (reported != null) {
            state.set("reported", reported);
        }
        return state;
    }

    public ObjectNode metadata() {
        ObjectNode metadata = NODES.objectNode();
        if (desired != null) {
            metadata.set("desired", desiredMetadata);
        }
        if (reported != null) {
            metadata.set("reported", reportedMetadata);
        }
        return metadata;
    }

    /** The document a GET returns: state with its delta, metadata, version, timestamp, clientToken. */
    public ObjectNode toGetResponse(String clientToken, long now) {
        ObjectNode state = state();
        ObjectNode delta = delta();
        if (delta != null) {
            state.set("delta", delta);
        }
        ObjectNode body = NODES.objectNode();
        body.set("state", state);
        body.set("metadata", metadata());
        body.put("version", version);
        body.put("timestamp", now);
        if (clientToken != null) {
            body.put("clientToken", clientToken);
        }
        return body;
    }

    /** The {@code previous}/{@code current} entry of an {@code /update/documents} message. */
    ObjectNode toSnapshot() {
        ObjectNode snapshot = NODES.objectNode();
        snapshot.set("state", state());
        snapshot.set("metadata", metadata());
        snapshot.put("version", version);
        return snapshot;
    }

}
