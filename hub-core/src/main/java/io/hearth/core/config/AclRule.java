package io.hearth.core.config;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.hearth.core.bus.Topics;

/**
 * One configured access rule. Rules are evaluated in order before the built-in ones; the first
 * whose action, filter and (optional) {@code who} match decides.
 *
 * @param who a username, {@code "anonymous"}, or null for everyone
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record AclRule(Effect effect, Action action, String filter, String who) {

    public enum Effect {
        @JsonProperty("allow") ALLOW,
        @JsonProperty("deny") DENY
    }

    public enum Action {
        @JsonProperty("publish") PUBLISH,
        @JsonProperty("subscribe") SUBSCRIBE,
        @JsonProperty("all") ALL
    }

    public AclRule {
        ConfigChecks.present(effect, "effect");
        ConfigChecks.present(action, "action");
        ConfigChecks.present(filter, "filter");
        String problem = Topics.filterProblem(filter);
        if (problem != null) {
            throw new InvalidConfigException("filter", "\"" + filter + "\" is not a valid topic filter: " + problem);
        }
        if (who != null && who.isBlank()) {
            throw new InvalidConfigException("who", "must name a user, or be left out to mean everyone");
        }
    }
}
