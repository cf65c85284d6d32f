package io.hearth.shadow;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * What a shadow's desired state may hold beyond the generic shadow rules: the device registry
 * refuses keys a device does not have or cannot write.
 */
@FunctionalInterface
public interface DesiredStateRules {

    /** Why {@code desired} (a partial update) cannot be accepted for {@code name}, or null when it can. */
    String problemWith(ShadowName name, ObjectNode desired);

    DesiredStateRules NONE = (name, desired) -> null;
}
