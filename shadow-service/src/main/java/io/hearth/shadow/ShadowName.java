package io.hearth.shadow;

import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/**
 * A shadow's address: the thing it belongs to, and its name for a named shadow or null for the
 * thing's classic shadow. Names follow AWS IoT's rules, so every valid name is also usable as an
 * MQTT topic level.
 */
public record ShadowName(String thing, String shadow) implements Comparable<ShadowName> {

    private static final Pattern THING = Pattern.compile("[a-zA-Z0-9:_-]{1,128}");
    private static final Pattern SHADOW = Pattern.compile("[$a-zA-Z0-9:_-]{1,64}");

    public ShadowName {
        String problem = problem(thing, shadow);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
    }

    public static ShadowName classic(String thing) {
        return new ShadowName(thing, null);
    }

    public static ShadowName named(String thing, String shadow) {
        return new ShadowName(thing, shadow);
    }

    /** Why these names cannot address a shadow, or null when they can. */
    public static String problem(String thing, String shadow) {
        if (thing == null || !THING.matcher(thing).matches()) {
            return "Invalid thing name: use 1 to 128 letters, digits, ':', '_' or '-'";
        }
        if (shadow != null && !SHADOW.matcher(shadow).matches()) {
            return "Invalid shadow name: use 1 to 64 letters, digits, '$', ':', '_' or '-'";
        }
        return null;
    }

    public boolean isClassic() {
        return shadow == null;
    }

    /** {@code $aws/things/THING/shadow} or {@code $aws/things/THING/shadow/name/SHADOW}. */
    public String topicPrefix() {
        return isClassic() ? "$aws/things/" + thing + "/shadow" : "$aws/things/" + thing + "/shadow/name/" + shadow;
    }

    /** The name as AWS IoT quotes it in its "no shadow" message. */
    String quoted() {
        return isClassic() ? "'" + thing + "'" : "'" + thing + "~" + shadow + "'";
    }

    /** The key under which the store keeps a classic shadow's name: the empty string. */
    String storedShadow() {
        return isClassic() ? "" : shadow;
    }

    static ShadowName fromStored(String thing, String storedShadow) {
        return new ShadowName(thing, storedShadow.isEmpty() ? null : storedShadow);
    }


    @Override
    public int compareTo(ShadowName other) {
        int byThing = thing.compareTo(other.thing);
        return byThing != 0 ? byThing : storedShadow().compareTo(other.storedShadow());
    }

    @Override
    public String toString() {
        return isClassic() ? thing : thing + "/" + shadow;
    }
}
