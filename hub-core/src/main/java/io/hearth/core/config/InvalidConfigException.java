package io.hearth.core.config;

/**
 * A configuration value that cannot work. {@link #key()} is the key relative to the record that
 * refused it; the loader prefixes the record's own position so the user sees the full key
 * (for example {@code hearth.mqtt.port}).
 */
public final class InvalidConfigException extends IllegalArgumentException {

    private final String key;

    public InvalidConfigException(String key, String problem) {
        super(problem);
        this.key = key;
    }

    public String key() {
        return key;
    }

    public String problem() {
        return getMessage();
    }
}
