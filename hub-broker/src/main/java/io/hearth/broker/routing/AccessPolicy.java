package io.hearth.broker.routing;

import io.hearth.core.bus.FilterOverlap;
import io.hearth.core.bus.Topics;
import io.hearth.core.config.AclRule;
import java.util.List;

/**
 * Decides what an identity may publish and subscribe to. The configured rules are checked in
 * order and the first match decides; anything they do not mention is allowed (the built-in
 * per-device rules come on top of this with the identity store).
 */
public final class AccessPolicy {

    /** The identity name of clients that connected without a username. */
    public static final String ANONYMOUS = "anonymous";

    private final List<AclRule> rules;

    public AccessPolicy(List<AclRule> rules) {
        this.rules = List.copyOf(rules);
    }

    public boolean mayPublish(String identity, String topic) {
        return decide(identity, AclRule.Action.PUBLISH, rule -> Topics.matches(rule.filter(), topic));
    }

    /**
     * A subscription is denied when a deny rule's filter could match any topic the requested
     * filter matches; checking only exact equality would let {@code #} slip past a deny on {@code a/b}.
     */
    public boolean maySubscribe(String identity, String filter) {
        return decide(identity, AclRule.Action.SUBSCRIBE, rule -> rule.effect() == AclRule.Effect.DENY
                ? FilterOverlap.overlaps(rule.filter(), filter) : FilterOverlap.covers(rule.filter(), filter));
    }

    private boolean decide(String identity, AclRule.Action action, java.util.function.Predicate<AclRule> applies) {
        for (AclRule rule : rules) {
            boolean actionMatches = rule.action() == AclRule.Action.ALL || rule.action() == action;
            boolean whoMatches = rule.who() == null || rule.who().equals(identity);
            if (actionMatches && whoMatches && applies.test(rule)) {
                return rule.effect() == AclRule.Effect.ALLOW;
            }
        }
        return true;
    }
}
