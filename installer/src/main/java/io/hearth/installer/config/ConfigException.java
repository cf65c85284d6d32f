package io.hearth.installer.config;

/**
 * The configuration cannot be used. The message names the full key, what is wrong with it and,
 * when known, where the value came from, e.g.
 * {@code hearth.mqtt.port: "abc" is not a whole number (from HEARTH_MQTT_PORT)}.
 */
public final class ConfigException extends Exception {

    private final String key;

    public ConfigException(String key, String problem, String origin) {
        super(key + ": " + problem + (origin == null ? "" : " (from " + origin + ")"));
        this.key = key;
    }

    public String key() {
        return key;
    }
}
