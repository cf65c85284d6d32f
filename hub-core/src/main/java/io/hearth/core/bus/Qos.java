package io.hearth.core.bus;

/** MQTT delivery guarantees. */
public enum Qos {
    AT_MOST_ONCE,
    AT_LEAST_ONCE,
    EXACTLY_ONCE;

    public int level() {
        return ordinal();
    }

    public static Qos of(int level) {
        if (level < 0 || level > 2) {
            throw new IllegalArgumentException("QoS must be 0, 1 or 2, not " + level);
        }
        return values()[level];
    }

    public Qos min(Qos other) {
        return ordinal() <= other.ordinal() ? this : other;
    }
}
