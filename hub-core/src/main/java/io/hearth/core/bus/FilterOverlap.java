package io.hearth.core.bus;

/** How two topic filters relate: whether some topic matches both, and whether one covers the other. */
public final class FilterOverlap {

    private FilterOverlap() {
    }

    /** True when at least one topic name matches both filters. */
    public static boolean overlaps(String a, String b) {
        String[] x = a.split("/", -1);
        String[] y = b.split("/", -1);
        boolean dollarX = a.startsWith("$");
        boolean dollarY = b.startsWith("$");
        // A $ topic is only matched by filters that spell out its first level.
        if ((dollarX && isWildcard(y[0])) || (dollarY && isWildcard(x[0]))) {
            return false;
        }
        int i = 0;
        while (i < x.length && i < y.length) {
            if (x[i].equals("#") || y[i].equals("#")) {
                return true;
            }
            if (!x[i].equals("+") && !y[i].equals("+") && !x[i].equals(y[i])) {
                return false;
            }
            i++;
        }
        if (x.length == y.length) {
            return true;
        }
        // "a/#" also matches "a".
        String[] longer = x.length > y.length ? x : y;
        return longer.length == i + 1 && longer[i].equals("#");
    }

    /** True when every topic {@code inner} matches is also matched by {@code outer}. */
    public static boolean covers(String outer, String inner) {
        String[] o = outer.split("/", -1);
        String[] n = inner.split("/", -1);
        if (inner.startsWith("$") != outer.startsWith("$") && isWildcard(o[0])) {
            return false;
        }
        for (int i = 0; i < o.length; i++) {
            if (o[i].equals("#")) {
                return true;
            }
            if (i >= n.length || n[i].equals("#")) {
                return false;
            }
            if (!o[i].equals("+") && (n[i].equals("+") || !o[i].equals(n[i]))) {
                return false;
            }
        }
        return o.length == n.length;
    }

    private static boolean isWildcard(String level) {
        return level.equals("+") || level.equals("#");
    }
}
