package io.hearth.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * The answer to an accepted request: the body AWS IoT sends on {@code /accepted} (and as an HTTP 200
 * body), plus the document as it now stands (null after a delete).
 */
public record ShadowReply(ObjectNode body, ShadowDocument document) {
}
