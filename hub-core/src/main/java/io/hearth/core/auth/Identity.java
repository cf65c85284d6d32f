package io.hearth.core.auth;

import io.hearth.core.bus.FilterOverlap;
import io.hearth.core.bus.Topics;
import java.util.List;
import java.util.Objects;

/**
 * Who a client is once authenticated, and the built-in rules of what it may do over MQTT. A device
 * identity THING may publish and subscribe under {@code $aws/things/THING/shadow/#} and
 * {@code hearth/devices/THING/#}, plus the topic filters it was granted; owners and the hub's own
 * modules may do anything; members have no MQTT rights (they use the web UI).
 *
 * @param grants extra topic filters a device credential was given ({@code --allow})
 */
public record Identity(String name, Role role, List<String> grants) {

    public Identity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(role, "role");
        grants = grants == null ? List.of() : List.copyOf(grants);
    }

    public static Identity hub(String module) {
        return new Identity(module, Role.HUB, List.of());
    }

    public boolean mayPublish(String topic) {
        return switch (role) {
            case OWNER, HUB -> true;
            case MEMBER -> false;
            case DEVICE -> ownNamespaceCovers(topic) || grants.stream().anyMatch(grant -> Topics.matches(grant, topic));
        };
    }

    /** True when every topic {@code filter} can match is one this identity may read. */
    public boolean maySubscribe(String filter) {
        return switch (role) {
            case OWNER, HUB -> true;
            case MEMBER -> false;
            case DEVICE -> ownNamespaceCovers(filter) || grants.stream().anyMatch(grant -> FilterOverlap.covers(grant, filter));
        };
    }

    private boolean ownNamespaceCovers(String topicOrFilter) {
        return FilterOverlap.covers("$aws/things/" + name + "/shadow/#", topicOrFilter)
                || FilterOverlap.covers("hearth/devices/" + name + "/#", topicOrFilter);
    }
}
