package io.hearth.broker.protocol;

import io.hearth.core.bus.Topics;

/**
 * A subscription's topic filter with its optional share group: {@code $share/group/filter}.
 *
 * @param group null for an ordinary subscription
 * @param problem why the filter cannot be used, or null
 */
public record SharedFilter(String group, String filter, String problem) {

    public static SharedFilter parse(String raw) {
        if (raw == null || !raw.startsWith("$share/")) {
            return new SharedFilter(null, raw, Topics.filterProblem(raw));
        }
        int slash = raw.indexOf('/', "$share/".length());
        if (slash < 0) {
            return new SharedFilter(null, raw, "a shared subscription needs the form $share/group/filter");
        }
        String group = raw.substring("$share/".length(), slash);
        String filter = raw.substring(slash + 1);
        if (group.isEmpty() || group.contains("+") || group.contains("#")) {
            return new SharedFilter(null, raw, "a share group name must not be empty or contain + or #");
        }
        return new SharedFilter(group, filter, Topics.filterProblem(filter));
    }
}
