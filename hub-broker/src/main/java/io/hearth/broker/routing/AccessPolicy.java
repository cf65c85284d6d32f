package io.hearth.broker.routing;

import io.hearth.broker.auth.BrokerIdentities;
import io.hearth.core.auth.Identity;
import io.hearth.core.bus.FilterOverlap;
import io.hearth.core.bus.Topics;
import io.hearth.core.config.AclRule;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Decides what an identity may publish and subscribe to. The configured rules are checked first, in
 * order, and the first match decides; what they do not mention falls to the identity's built-in
 * rights ({@link Identity}). An identity that cannot be resolved may do nothing.
 */
public final class AccessPolicy {

    /** The identity name of clients that connected without a username. */
    public static final String ANONYMOUS = BrokerIdentities.ANONYMOUS;

    private final List<AclRule> rules;
    private final BrokerIdentities identities;

    /** Configured rules over a broker without an identity store (tools and tests). */
    public AccessPolicy(List<AclRule> rules) {
        this(rules, BrokerIdentities.open());
    }

    public AccessPolicy(List<AclRule> rules, BrokerIdentities identities) {
        this.rules = List.copyOf(rules);
        this.identities = identities;
    }

    public BrokerIdentities identities() {
        return identities;
    }

    public boolean mayPublish(String identity, String topic) {
        Boolean ruled = decide(identity, AclRule.Action.PUBLISH, rule -> Topics.matches(rule.filter(), topic));
        return ruled != null ? ruled : builtIn(identity, rights -> rights.mayPublish(topic));
    }

    /**
     * A subscription is denied when a deny rule's filter could match any topic the requested
     * filter matches; checking only exact equality would let {@code #} slip past a deny on {@code a/b}.
     */
    public boolean maySubscribe(String identity, String filter) {
        Boolean ruled = decide(identity, AclRule.Action.SUBSCRIBE, rule -> rule.effect() == AclRule.Effect.DENY
                ? FilterOverlap.overlaps(rule.filter(), filter) : FilterOverlap.covers(rule.filter(), filter));
        return ruled != null ? ruled : builtIn(identity, rights -> rights.maySubscribe(filter));
    }

    /** True when {@code identity} may be sent a message on {@code topic} (retained messages are checked again). */
    public boolean mayReceive(String identity, String topic) {
        return maySubscribe(identity, topic);
    }

    private boolean builtIn(String identity, Predicate<Identity> right) {
        Optional<Identity> rights = identities.resolve(identity);
        return rights.isPresent() && right.test(rights.get());
    }

    /** The first matching rule's verdict, or null when no rule matches. */
    private Boolean decide(String identity, AclRule.Action action, Predicate<AclRule> applies) {
        for (AclRule rule : rules) {
            boolean actionMatches = rule.action() == AclRule.Action.ALL || rule.action() == action;
            boolean whoMatches = rule.who() == null || rule.who().equals(identity);
            if (actionMatches && whoMatches && applies.test(rule)) {
                return rule.effect() == AclRule.Effect.ALLOW;
            }
        }
        return null;
    }
}
