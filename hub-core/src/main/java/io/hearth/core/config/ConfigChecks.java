package io.hearth.core.config;

import java.util.Collection;

/** The checks the configuration records share, each failing with the offending key. */
final class ConfigChecks {

    private ConfigChecks() {
    }

    static <T> T present(T value, String key) {
        if (value == null || (value instanceof String s && s.isBlank())) {
            throw new InvalidConfigException(key, "must be set");
        }
        return value;
    }

    /** A list without empty entries (a bare "-" in YAML), copied. */
    static <T> java.util.List<T> list(java.util.List<T> value, String key) {
        present(value, key);
        for (int i = 0; i < value.size(); i++) {
            if (value.get(i) == null) {
                throw new InvalidConfigException(key + "[" + i + "]", "is empty; remove the bare '-' or fill it in");
            }
        }
        return java.util.List.copyOf(value);
    }

    static int range(int value, String key, int min, int max) {
        if (value < min || value > max) {
            throw new InvalidConfigException(key, value + " is out of range; use " + min + " to " + max);
        }
        return value;
    }

    static int port(int value, String key) {
        if (value < 0 || value > 65535) {
            throw new InvalidConfigException(key, value + " is not a TCP port; use 1 to 65535, or 0 to turn it off");
        }
        return value;
    }

    static <T> T oneOf(T value, String key, Collection<T> allowed) {
        if (!allowed.contains(value)) {
            throw new InvalidConfigException(key, value + " is not allowed here; use one of " + allowed);
        }
        return value;
    }
}
