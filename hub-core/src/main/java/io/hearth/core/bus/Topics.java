package io.hearth.core.bus;

/**
 * MQTT topic rules shared by every module: what a valid topic name and topic filter are, and
 * whether a filter matches a name. Topics starting with {@code $} are never matched by a filter
 * that starts with a wildcard, so {@code #} does not see {@code $SYS} or {@code $aws}.
 */
public final class Topics {

    /** Deeper topics are refused; unbounded depth has crashed brokers before. */
    public static final int MAX_LEVELS = 64;
    /** Longest topic in UTF-8 bytes, as MQTT strings allow. */
    public static final int MAX_BYTES = 65_535;

    private Topics() {
    }

    /** Returns why {@code topic} cannot be published to, or null when it can. */
    public static String nameProblem(String topic) {
        String common = commonProblem(topic);
        if (common != null) {
            return common;
        }
        if (topic.indexOf('+') >= 0 || topic.indexOf('#') >= 0) {
            return "a topic name must not contain the wildcards + or #";
        }
        return null;
    }

    /** Returns why {@code filter} cannot be subscribed to, or null when it can. */
    public static String filterProblem(String filter) {
        String common = commonProblem(filter);
        if (common != null) {
            return common;
        }
        int start = 0;
        while (start <= filter.length()) {
            int end = filter.indexOf('/', start);
            if (end < 0) {
                end = filter.length();
            }
            String level = filter.substring(start, end);
            if (level.contains("#") && (!level.equals("#") || end != filter.length())) {
                return "# must be a whole level and the last one";
            }
            if (level.contains("+") && !level.equals("+")) {
                return "+ must be a whole level";
            }
            start = end + 1;
        }
        return null;
    }

    private static String commonProblem(String topic) {
        if (topic == null || topic.isEmpty()) {
            return "a topic must not be empty";
        }
        int levels = 1;
        for (int i = 0; i < topic.length(); i++) {
            char c = topic.charAt(i);
            if (c == '/') {
                levels++;
            } else if (c == 0) {
                return "a topic must not contain the null character";
            } else if (Character.isSurrogate(c) && !validSurrogatePair(topic, i)) {
                return "a topic must be valid UTF-8";
            } else if (Character.isSurrogate(c)) {
                i++;
            }
        }
        if (levels > MAX_LEVELS) {
            return "a topic may have at most " + MAX_LEVELS + " levels";
        }
        if (utf8Length(topic) > MAX_BYTES) {
            return "a topic may be at most " + MAX_BYTES + " bytes long";
        }
        return null;
    }

    /** True when {@code filter} (assumed valid) matches {@code topic} (assumed valid). */
    public static boolean matches(String filter, String topic) {
        if (topic.startsWith("$") && (filter.startsWith("+") || filter.startsWith("#"))) {
            return false;
        }
        int f = 0;
        int t = 0;
        while (f < filter.length()) {
            char c = filter.charAt(f);
            if (c == '#') {
                return true;
            }
            if (c == '+') {
                int slash = topic.indexOf('/', t);
                t = slash < 0 ? topic.length() : slash;
                f++;
            } else {
                if (t >= topic.length() || topic.charAt(t) != c) {
                    // "a/#" also matches "a": the parent level itself.
                    return t == topic.length() && filter.startsWith("/#", f);
                }
                f++;
                t++;
            }
        }
        return t == topic.length();
    }

    private static boolean validSurrogatePair(String s, int i) {
        return Character.isHighSurrogate(s.charAt(i)) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1));
    }

    private static int utf8Length(String s) {
        int bytes = 0;
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x80) {
                bytes += 1;
            } else if (c < 0x800) {
                bytes += 2;
            } else if (Character.isHighSurrogate(c)) {
                bytes += 4;
                i++;
            } else {
                bytes += 3;
            }
        }
        return bytes;
    }
}
