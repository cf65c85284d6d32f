package io.hearth.cloud.projection;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hearth.shadow.ShadowDocument;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The hub's own status as the classic shadow of its thing upstream: Hearth's version, how many
 * devices it has and its health, all reported, never desired. It lives only in the link (a classic
 * shadow in the local service would make the hub a device of itself); its version continues across
 * restarts through {@link ProjectedVersions}.
 */
final class HubShadow {

    static final String KEY = "$hub";
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private final Supplier<ObjectNode> status;
    private final ProjectedVersions versions;
    private ShadowDocument current;

    HubShadow(Supplier<ObjectNode> status, ProjectedVersions versions) {
        this.status = status;
        this.versions = versions;
    }

    /** The document as last refreshed, or null before the first refresh. */
    synchronized ShadowDocument current() {
        return current;
    }

    /**
     * Reads the status again; returns the new and the previous document when it changed (the first
     * refresh after a start counts as a change), or null when nothing changed.
     */
    synchronized ShadowDocument[] refresh(long now) {
        ObjectNode reported = status.get();
        if (current != null && current.reported().equals(reported)) {
            return null;
        }
        ShadowDocument previous = current;
        Long stored = versions.of(KEY);
        long version = (previous != null ? previous.version() : stored == null ? 0 : stored) + 1;
        ObjectNode metadata = NODES.objectNode();
        for (Map.Entry<String, JsonNode> field : reported.properties()) {
            boolean same = previous != null && field.getValue().equals(previous.reported().get(field.getKey()));
            metadata.set(field.getKey(), same ? previous.reportedMetadata().get(field.getKey())
                    : NODES.objectNode().put("timestamp", now));
        }
        current = new ShadowDocument(null, reported, null, metadata, version, now);
        versions.record(KEY, version);
        return new ShadowDocument[] {previous, current};
    }
}
